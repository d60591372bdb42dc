package dev.borges.broker.group;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.group.assignor.PartitionAssignor;
import dev.borges.broker.group.assignor.RangeAssignor;
import dev.borges.broker.group.assignor.UniformAssignor;
import dev.borges.broker.group.consumer.ConsumerGroupConfig;
import dev.borges.storage.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * The group coordinator's settings, read once from the broker configuration (Kafka's keys and
 * defaults; see {@link BrokerConfig#KEYS} for each key's documentation). The settings of KIP-848
 * consumer groups come along as {@link #consumer()}, checked against each other as Kafka checks
 * them.
 *
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms}
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms}
 * @param maxSize {@code group.max.size}
 * @param offsetsRetentionMs {@code offsets.retention.minutes}, in milliseconds
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms}
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes}
 * @param offsetsTopicPartitions {@code offsets.topic.num.partitions}
 * @param offsetsTopicReplicationFactor {@code offsets.topic.replication.factor}
 * @param offsetsTopicSegmentBytes {@code offsets.topic.segment.bytes}
 * @param loadBufferBytes {@code offsets.load.buffer.size}
 * @param threads {@code group.coordinator.threads}
 * @param consumerProtocolEnabled whether {@code group.coordinator.rebalance.protocols} lists "consumer"
 * @param consumer {@code group.consumer.*}
 */
public record GroupConfig(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs, int maxSize,
                          long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes,
                          int offsetsTopicPartitions, int offsetsTopicReplicationFactor, int offsetsTopicSegmentBytes,
                          int loadBufferBytes, int threads, boolean consumerProtocolEnabled, ConsumerGroupConfig consumer) {
    /**
     * How long a member that joined for the first time may wait in the join phase before it is
     * dropped (Kafka's fixed 5 minutes): a new member that disconnects must not hold up the group for
     * its whole session timeout.
     */
    public static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    /**
     * @throws InvalidConfigException when the {@code group.consumer.*} bounds do not hold, or
     *                                {@code group.coordinator.rebalance.protocols} lacks "classic"
     */
    public static GroupConfig from(BrokerConfig config) {
        List<String> protocols = config.listValue(BrokerConfig.GROUP_COORDINATOR_REBALANCE_PROTOCOLS);
        require(protocols.contains("classic"), BrokerConfig.GROUP_COORDINATOR_REBALANCE_PROTOCOLS + " must contain classic");
        return new GroupConfig(
            config.intValue(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS),
            config.intValue(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS),
            config.intValue(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS),
            config.intValue(BrokerConfig.GROUP_MAX_SIZE),
            config.intValue(BrokerConfig.OFFSETS_RETENTION_MINUTES) * 60_000L,
            config.longValue(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS),
            config.intValue(BrokerConfig.OFFSET_METADATA_MAX_BYTES),
            config.intValue(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS),
            config.intValue(BrokerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR),
            config.intValue(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES),
            config.intValue(BrokerConfig.OFFSETS_LOAD_BUFFER_SIZE),
            config.intValue(BrokerConfig.GROUP_COORDINATOR_THREADS),
            protocols.contains("consumer"),
            consumerGroupConfig(config));
    }

    /** The broker defaults. */
    public static GroupConfig defaults() {
        return from(BrokerConfig.defaults());
    }

    /** {@code group.consumer.*}, with Kafka's checks of the bounds against the values. */
    private static ConsumerGroupConfig consumerGroupConfig(BrokerConfig config) {
        int session = config.intValue(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        int minSession = config.intValue(BrokerConfig.GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS);
        int maxSession = config.intValue(BrokerConfig.GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS);
        int heartbeat = config.intValue(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS);
        int minHeartbeat = config.intValue(BrokerConfig.GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS);
        int maxHeartbeat = config.intValue(BrokerConfig.GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS);
        requireOrder(BrokerConfig.GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS, minHeartbeat,
            BrokerConfig.GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS, maxHeartbeat);
        requireOrder(BrokerConfig.GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS, minHeartbeat,
            BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, heartbeat);
        requireOrder(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, heartbeat,
            BrokerConfig.GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS, maxHeartbeat);
        requireOrder(BrokerConfig.GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS, minSession,
            BrokerConfig.GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS, maxSession);
        requireOrder(BrokerConfig.GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS, minSession,
            BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, session);
        requireOrder(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS, session,
            BrokerConfig.GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS, maxSession);
        require(heartbeat < session, BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS + " must be less than "
            + BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS);
        List<PartitionAssignor> assignors = new ArrayList<>();
        for (String name : config.listValue(BrokerConfig.GROUP_CONSUMER_ASSIGNORS)) {
            PartitionAssignor assignor = name.equals("uniform") || name.endsWith(".UniformAssignor")
                ? new UniformAssignor() : new RangeAssignor();
            if (assignors.stream().noneMatch(known -> known.name().equals(assignor.name()))) {
                assignors.add(assignor);
            }
        }
        require(!assignors.isEmpty(), BrokerConfig.GROUP_CONSUMER_ASSIGNORS + " must name at least one assignor");
        return new ConsumerGroupConfig(heartbeat, session, config.intValue(BrokerConfig.GROUP_CONSUMER_MAX_SIZE), assignors);
    }

    private static void requireOrder(String lowKey, int low, String highKey, int high) {
        require(low <= high, highKey + " (" + high + ") must be greater than or equal to " + lowKey + " (" + low + ")");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new InvalidConfigException(message);
        }
    }

    public GroupConfig withInitialRebalanceDelayMs(int delayMs) {
        return new GroupConfig(delayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize, offsetsRetentionMs,
            offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicPartitions, offsetsTopicReplicationFactor,
            offsetsTopicSegmentBytes, loadBufferBytes, threads, consumerProtocolEnabled, consumer);
    }

    public GroupConfig withMaxSize(int newMaxSize) {
        return new GroupConfig(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, newMaxSize, offsetsRetentionMs,
            offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicPartitions, offsetsTopicReplicationFactor,
            offsetsTopicSegmentBytes, loadBufferBytes, threads, consumerProtocolEnabled, consumer);
    }

    public GroupConfig withOffsetsRetentionMs(long retentionMs) {
        return new GroupConfig(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize, retentionMs,
            offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicPartitions, offsetsTopicReplicationFactor,
            offsetsTopicSegmentBytes, loadBufferBytes, threads, consumerProtocolEnabled, consumer);
    }

    public GroupConfig withConsumer(ConsumerGroupConfig newConsumer) {
        return new GroupConfig(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize, offsetsRetentionMs,
            offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicPartitions, offsetsTopicReplicationFactor,
            offsetsTopicSegmentBytes, loadBufferBytes, threads, consumerProtocolEnabled, newConsumer);
    }
}
