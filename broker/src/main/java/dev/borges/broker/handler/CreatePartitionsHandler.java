package dev.borges.broker.handler;

import dev.borges.metadata.controller.ControllerException;
import dev.borges.metadata.controller.NewPartitions;
import dev.borges.metadata.controller.QuorumController;
import dev.borges.metadata.controller.TopicResult;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.CreatePartitionsRequestData;
import dev.borges.protocol.message.CreatePartitionsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * CreatePartitions: grows topics to a new partition count through the controller, which checks the
 * count ({@code INVALID_PARTITIONS} when it does not grow), explicit assignments
 * ({@code INVALID_REPLICA_ASSIGNMENT}), duplicates ({@code INVALID_REQUEST}) and unknown topics
 * ({@code UNKNOWN_TOPIC_OR_PARTITION}), and commits the new partitions; this broker then leads them
 * through the {@code MetadataPublisher} before the answer goes out. {@code validateOnly} commits
 * nothing. Sits between the network layer and {@link QuorumController}; stateless.
 */
public final class CreatePartitionsHandler implements ApiHandler<CreatePartitionsRequestData, CreatePartitionsResponseData> {
    private final QuorumController controller;

    public CreatePartitionsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_PARTITIONS;
    }

    @Override
    public CompletableFuture<CreatePartitionsResponseData> handle(RequestHeader header, CreatePartitionsRequestData request) {
        List<NewPartitions> requests = new ArrayList<>();
        for (CreatePartitionsRequestData.CreatePartitionsTopic topic : request.topics()) {
            List<List<Integer>> assignments = new ArrayList<>();
            if (topic.assignments() != null) {
                topic.assignments().forEach(assignment -> assignments.add(assignment.brokerIds()));
            }
            requests.add(new NewPartitions(topic.name(), topic.count(), assignments));
        }
        return controller.createPartitions(requests, request.validateOnly()).handle((results, failure) -> {
            CreatePartitionsResponseData response = new CreatePartitionsResponseData();
            if (failure != null) {
                ControllerException error = HandlerErrors.fromController(failure, "CreatePartitions");
                requests.forEach(r -> response.results().add(result(r.name(), error.error(), error.getMessage())));
                return response;
            }
            for (int i = 0; i < results.size(); i++) {
                TopicResult result = results.get(i);
                String name = result.name() != null ? result.name() : requests.get(i).name();
                response.results().add(result(name, result.error(), result.errorMessage()));
            }
            return response;
        });
    }

    private static CreatePartitionsResponseData.CreatePartitionsTopicResult result(String name, Errors error, String message) {
        return new CreatePartitionsResponseData.CreatePartitionsTopicResult()
            .setName(name)
            .setErrorCode(error.code)
            .setErrorMessage(error == Errors.NONE ? null : message);
    }
}
