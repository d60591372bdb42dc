package dev.borges.broker.handler;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.broker.server.MetadataPublisher;
import dev.borges.metadata.controller.BrokerRegistrationRequest;
import dev.borges.metadata.controller.ControllerConfig;
import dev.borges.metadata.controller.NewTopic;
import dev.borges.metadata.controller.QuorumController;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.InvalidConfigException;
import dev.borges.storage.manager.LogManager;
import dev.borges.storage.manager.LogManagerConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A broker without a network, for the admin handlers: a running one-node controller (with the
 * broker's topic config checks), the log manager, the partitions and the metadata publisher that
 * makes this node lead what the controller creates. Broker id 1, listener PLAINTEXT on
 * localhost:9092, cluster id "test-cluster".
 */
final class AdminTestContext implements AutoCloseable {
    static final String CLUSTER_ID = "test-cluster";

    final BrokerConfig config;
    final QuorumController controller;
    final LogManager logManager;
    final PartitionManager partitions;
    final MetadataPublisher publisher;

    AdminTestContext(Path dir) throws Exception {
        this(dir, Map.of());
    }

    AdminTestContext(Path dir, Map<String, String> brokerSettings) throws Exception {
        config = BrokerConfig.of(brokerSettings);
        controller = new QuorumController(ControllerConfig.builder(1, dir.resolve("__cluster_metadata"))
            .configValidator((resource, values) -> validate(config, resource, values))
            .build());
        controller.start();
        logManager = LogManager.open(dir.resolve("logs"), LogManagerConfig.DEFAULTS,
            tp -> MetadataPublisher.logConfig(config, controller.image(), tp.topic()), Time.SYSTEM);
        partitions = new PartitionManager(1, logManager);
        publisher = new MetadataPublisher(1, config, partitions);
        publisher.publishInitial(controller.image());
        controller.register(publisher);
        await(controller.registerBroker(new BrokerRegistrationRequest(1, Uuid.randomUuid(),
            List.of(new RegisterBrokerRecord.Endpoint("PLAINTEXT", "localhost", 9092)), Optional.of("rack-a"))));
    }

    private static Optional<String> validate(BrokerConfig config, ConfigResource resource, Map<String, String> values) {
        if (resource.type() != ConfigResource.Type.TOPIC) {
            return Optional.of("Changing broker configurations is not supported yet");
        }
        try {
            config.logConfig(values);
            return Optional.empty();
        } catch (InvalidConfigException e) {
            return Optional.of(e.getMessage());
        }
    }

    void createTopic(String name, int partitionCount) {
        createTopic(name, partitionCount, Map.of());
    }

    void createTopic(String name, int partitionCount, Map<String, String> configs) {
        await(controller.createTopics(List.of(new NewTopic(name, partitionCount, (short) 1, Map.of(), configs)), false));
    }

    Partition partition(String topic, int partition) {
        return partitions.leader(new TopicPartition(topic, partition));
    }

    /** Appends as the leader would for a producer, and moves the high watermark (replication factor one). */
    void append(String topic, int partition, MemoryRecords records) {
        partition(topic, partition).appendAsLeader(records, (short) -1);
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Future failed: " + e, e);
        }
    }

    @Override
    public void close() {
        controller.close();
        logManager.close();
    }
}
