package dev.borges.broker.handler;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.broker.server.MetadataPublisher;
import dev.borges.metadata.controller.NewTopic;
import dev.borges.metadata.controller.QuorumController;
import dev.borges.metadata.controller.TopicNames;
import dev.borges.metadata.image.BrokerRegistration;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.PartitionRegistration;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.MetadataRequestData;
import dev.borges.protocol.message.MetadataResponseData;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Metadata: the brokers, the cluster and controller ids, and per topic its id and partitions with
 * leader, epoch, replicas and ISR. A partition is only shown with a leader once that leader can
 * take appends ({@code LEADER_NOT_AVAILABLE} until then, which clients retry), so an idempotent
 * producer's first batch never meets a partition that is not ready.
 *
 * <p>Topics are named, or (version 10+) given by id, as a consumer whose coordinator assigned it
 * partitions of topics it only knows by id asks. Unknown topics are created when the client allows it and {@code auto.create.topics.enable}
 * is on, with {@code num.partitions} and {@code default.replication.factor}; the answer waits for
 * the creation to commit.
 */
public final class MetadataHandler implements ApiHandler<MetadataRequestData, MetadataResponseData> {
    private final BrokerConfig config;
    private final String clusterId;
    private final MetadataPublisher metadata;
    private final PartitionManager partitions;
    private final QuorumController controller;
    private final String listenerName;

    public MetadataHandler(BrokerConfig config, String clusterId, MetadataPublisher metadata, PartitionManager partitions,
                           QuorumController controller, String listenerName) {
        this.config = config;
        this.clusterId = clusterId;
        this.metadata = metadata;
        this.partitions = partitions;
        this.controller = controller;
        this.listenerName = listenerName;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.METADATA;
    }

    @Override
    public CompletableFuture<MetadataResponseData> handle(RequestHeader header, MetadataRequestData request) {
        MetadataImage image = metadata.image();
        List<String> toCreate = new ArrayList<>();
        if (request.topics() != null && request.allowAutoTopicCreation() && config.autoCreateTopics()) {
            for (MetadataRequestData.MetadataRequestTopic topic : request.topics()) {
                if (topic.name() != null && image.topics().topic(topic.name()) == null && TopicNames.validate(topic.name()).isEmpty()
                    && !InternalTopics.isInternal(topic.name())) { // the coordinators create those, with their settings
                    toCreate.add(topic.name());
                }
            }
        }
        if (toCreate.isEmpty()) {
            return CompletableFuture.completedFuture(build(header, request));
        }
        List<NewTopic> newTopics = toCreate.stream()
            .map(name -> NewTopic.of(name, config.numPartitions(), config.defaultReplicationFactor()))
            .toList();
        // Whether it was created now or by someone else meanwhile, the answer reflects what committed.
        return controller.createTopics(newTopics, false).handle((results, error) -> build(header, request));
    }

    private MetadataResponseData build(RequestHeader header, MetadataRequestData request) {
        MetadataImage image = metadata.image();
        MetadataResponseData response = new MetadataResponseData()
            .setClusterId(clusterId)
            .setControllerId(config.nodeId());
        for (BrokerRegistration broker : image.cluster().brokers().values()) {
            broker.endpoint(listenerName).ifPresent(endpoint -> response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(broker.id())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(broker.rack().orElse(null))));
        }
        // All topics: a null list, or (version 0, before null was allowed) an empty one.
        if (request.topics() == null || (header.apiVersion() == 0 && request.topics().isEmpty())) {
            for (TopicImage topic : image.topics().byName().values()) {
                response.topics().add(describe(topic, header.apiVersion()));
            }
        } else {
            for (MetadataRequestData.MetadataRequestTopic requested : request.topics()) {
                response.topics().add(describe(image, requested, header.apiVersion()));
            }
        }
        return response;
    }

    private MetadataResponseData.MetadataResponseTopic describe(MetadataImage image, MetadataRequestData.MetadataRequestTopic requested,
                                                                 short version) {
        // As Kafka: a non-zero topic id is a lookup by id, whatever the name says (clients leave it "" or null).
        boolean byId = requested.name() == null
            || requested.topicId() != null && !Uuid.ZERO.equals(requested.topicId()) && requested.name().isEmpty();
        TopicImage topic = byId ? image.topics().topic(requested.topicId()) : image.topics().topic(requested.name());
        if (topic != null) {
            return describe(topic, version);
        }
        // Below version 12 the response's topic name may not be null, even for a lookup by id.
        String name = byId ? (version < 12 ? "" : null) : requested.name();
        MetadataResponseData.MetadataResponseTopic missing = new MetadataResponseData.MetadataResponseTopic()
            .setName(name)
            .setTopicId(byId ? requested.topicId() : Uuid.ZERO);
        if (byId) {
            return missing.setErrorCode(Errors.UNKNOWN_TOPIC_ID.code);
        }
        if (TopicNames.validate(requested.name()).isPresent()) {
            return missing.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code);
        }
        return missing.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
    }

    private MetadataResponseData.MetadataResponseTopic describe(TopicImage topic, short version) {
        MetadataResponseData.MetadataResponseTopic result = new MetadataResponseData.MetadataResponseTopic()
            .setErrorCode(Errors.NONE.code)
            .setName(topic.name())
            .setTopicId(topic.id())
            .setIsInternal(InternalTopics.isInternal(topic.name()));
        for (Map.Entry<Integer, PartitionRegistration> entry : topic.partitions().entrySet()) {
            PartitionRegistration registration = entry.getValue();
            boolean ready = registration.hasLeader()
                && (registration.leader() != config.nodeId()
                    || partitions.partition(new TopicPartition(topic.name(), entry.getKey())).isPresent());
            result.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                .setErrorCode(ready ? Errors.NONE.code : Errors.LEADER_NOT_AVAILABLE.code)
                .setPartitionIndex(entry.getKey())
                .setLeaderId(ready ? registration.leader() : -1)
                .setLeaderEpoch(registration.leaderEpoch())
                .setReplicaNodes(new ArrayList<>(registration.replicas()))
                .setIsrNodes(new ArrayList<>(registration.isr())));
        }
        return result;
    }
}
