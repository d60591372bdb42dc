package dev.borges.broker.handler;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.metadata.controller.QuorumController;
import dev.borges.metadata.controller.TopicResult;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DeleteTopicsRequestData;
import dev.borges.protocol.message.DeleteTopicsResponseData;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteTopics: by name (all versions) or by id (version 6), through the controller. With
 * {@code delete.topic.enable=false} every topic answers {@code TOPIC_DELETION_DISABLED}.
 */
public final class DeleteTopicsHandler implements ApiHandler<DeleteTopicsRequestData, DeleteTopicsResponseData> {
    private final BrokerConfig config;
    private final QuorumController controller;

    public DeleteTopicsHandler(BrokerConfig config, QuorumController controller) {
        this.config = config;
        this.controller = controller;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_TOPICS;
    }

    @Override
    public CompletableFuture<DeleteTopicsResponseData> handle(RequestHeader header, DeleteTopicsRequestData request) {
        List<String> names = new ArrayList<>(request.topicNames());
        List<Uuid> ids = new ArrayList<>();
        for (DeleteTopicsRequestData.DeleteTopicState topic : request.topics()) {
            if (topic.name() != null) {
                names.add(topic.name());
            } else {
                ids.add(topic.topicId());
            }
        }
        if (!config.deleteTopicEnable()) {
            DeleteTopicsResponseData refused = new DeleteTopicsResponseData();
            names.forEach(name -> refused.responses().add(result(new TopicResult(name, Uuid.ZERO, Errors.TOPIC_DELETION_DISABLED,
                "delete.topic.enable is false"))));
            ids.forEach(id -> refused.responses().add(result(new TopicResult(null, id, Errors.TOPIC_DELETION_DISABLED,
                "delete.topic.enable is false"))));
            return CompletableFuture.completedFuture(refused);
        }
        CompletableFuture<List<TopicResult>> byName = names.isEmpty() ? CompletableFuture.completedFuture(List.of())
            : controller.deleteTopics(names);
        CompletableFuture<List<TopicResult>> byId = ids.isEmpty() ? CompletableFuture.completedFuture(List.of())
            : controller.deleteTopicsById(ids);
        return byName.thenCombine(byId, (first, second) -> {
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            first.forEach(r -> response.responses().add(result(r)));
            second.forEach(r -> response.responses().add(result(r)));
            return response;
        }).exceptionally(failure -> {
            var error = HandlerErrors.fromController(failure, "DeleteTopics");
            DeleteTopicsResponseData response = new DeleteTopicsResponseData();
            names.forEach(name -> response.responses().add(result(new TopicResult(name, Uuid.ZERO, error.error(), error.getMessage()))));
            ids.forEach(id -> response.responses().add(result(new TopicResult(null, id, error.error(), error.getMessage()))));
            return response;
        });
    }

    private static DeleteTopicsResponseData.DeletableTopicResult result(TopicResult result) {
        return new DeleteTopicsResponseData.DeletableTopicResult()
            .setName(result.name())
            .setTopicId(result.topicId() == null ? Uuid.ZERO : result.topicId())
            .setErrorCode(result.error().code)
            .setErrorMessage(result.error() == Errors.NONE ? null : result.errorMessage());
    }
}
