package dev.borges.broker.handler;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.metadata.controller.CreateTopicResult;
import dev.borges.metadata.controller.NewTopic;
import dev.borges.metadata.controller.QuorumController;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.CreateTopicsRequestData;
import dev.borges.protocol.message.CreateTopicsResponseData;
import dev.borges.storage.config.ConfigKey;
import dev.borges.storage.config.LogConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CreateTopics: hands the topics to the controller (which validates names, partition counts,
 * replication factors, explicit assignments and configs, and commits them to the metadata log)
 * and answers per topic with its id, partition count, replication factor and effective configs,
 * or the Kafka error. {@code validateOnly} checks everything and commits nothing. A partition
 * count or replication factor of -1 means the broker's default.
 */
public final class CreateTopicsHandler implements ApiHandler<CreateTopicsRequestData, CreateTopicsResponseData> {
    /** DescribeConfigs / CreateTopics config sources, as Kafka numbers them. */
    private static final byte SOURCE_TOPIC = 1;
    private static final byte SOURCE_DEFAULT = 5;

    private final BrokerConfig config;
    private final QuorumController controller;

    public CreateTopicsHandler(BrokerConfig config, QuorumController controller) {
        this.config = config;
        this.controller = controller;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.CREATE_TOPICS;
    }

    @Override
    public CompletableFuture<CreateTopicsResponseData> handle(RequestHeader header, CreateTopicsRequestData request) {
        List<NewTopic> newTopics = new ArrayList<>();
        for (CreateTopicsRequestData.CreatableTopic topic : request.topics()) {
            int partitions = topic.numPartitions() == -1 ? config.numPartitions() : topic.numPartitions();
            short replication = topic.replicationFactor() == -1 ? (short) config.defaultReplicationFactor() : topic.replicationFactor();
            Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
            for (CreateTopicsRequestData.CreatableReplicaAssignment assignment : topic.assignments()) {
                assignments.put(assignment.partitionIndex(), List.copyOf(assignment.brokerIds()));
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (CreateTopicsRequestData.CreatableTopicConfig entry : topic.configs()) {
                configs.put(entry.name(), entry.value());
            }
            newTopics.add(new NewTopic(topic.name(), assignments.isEmpty() ? partitions : -1,
                assignments.isEmpty() ? replication : -1, assignments, configs));
        }
        return controller.createTopics(newTopics, request.validateOnly()).handle((results, failure) -> {
            if (failure == null) {
                return respond(results);
            }
            var error = HandlerErrors.fromController(failure, "CreateTopics");
            CreateTopicsResponseData response = new CreateTopicsResponseData();
            for (NewTopic topic : newTopics) {
                response.topics().add(new CreateTopicsResponseData.CreatableTopicResult().setName(topic.name())
                    .setErrorCode(error.error().code).setErrorMessage(error.getMessage()));
            }
            return response;
        });
    }

    private CreateTopicsResponseData respond(List<CreateTopicResult> results) {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreateTopicResult result : results) {
            CreateTopicsResponseData.CreatableTopicResult topic = new CreateTopicsResponseData.CreatableTopicResult()
                .setName(result.name())
                .setErrorCode(result.error().code)
                .setErrorMessage(result.error() == Errors.NONE ? null : result.errorMessage());
            if (result.error() == Errors.NONE) {
                topic.setTopicId(result.topicId())
                    .setNumPartitions(result.numPartitions())
                    .setReplicationFactor(result.replicationFactor())
                    .setConfigs(effectiveConfigs(result.configs()));
            }
            response.topics().add(topic);
        }
        return response;
    }

    private List<CreateTopicsResponseData.CreatableTopicConfigs> effectiveConfigs(Map<String, String> topicOverrides) {
        LogConfig logConfig = config.logConfig(topicOverrides == null ? Map.of() : topicOverrides);
        Map<String, String> overrides = topicOverrides == null ? new HashMap<>() : topicOverrides;
        List<CreateTopicsResponseData.CreatableTopicConfigs> configs = new ArrayList<>();
        for (ConfigKey key : LogConfig.KEYS) {
            Object value = logConfig.value(key.name());
            configs.add(new CreateTopicsResponseData.CreatableTopicConfigs()
                .setName(key.name())
                .setValue(value instanceof List<?> list ? String.join(",", list.stream().map(Object::toString).toList())
                    : String.valueOf(value))
                .setReadOnly(false)
                .setConfigSource(overrides.containsKey(key.name()) ? SOURCE_TOPIC : SOURCE_DEFAULT)
                .setIsSensitive(false));
        }
        return configs;
    }
}
