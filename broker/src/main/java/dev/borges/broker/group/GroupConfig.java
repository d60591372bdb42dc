package dev.borges.broker.group;

import dev.borges.broker.config.BrokerConfig;

/**
 * The group coordinator's settings, read once from the broker configuration (Kafka's keys and
 * defaults; see {@link BrokerConfig#KEYS} for each key's documentation).
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
 */
public record GroupConfig(int initialRebalanceDelayMs, int minSessionTimeoutMs, int maxSessionTimeoutMs, int maxSize,
                          long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes,
                          int offsetsTopicPartitions, int offsetsTopicReplicationFactor, int offsetsTopicSegmentBytes,
                          int loadBufferBytes, int threads) {
    /**
     * How long a member that joined for the first time may wait in the join phase before it is
     * dropped (Kafka's fixed 5 minutes): a new member that disconnects must not hold up the group for
     * its whole session timeout.
     */
    public static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    public static GroupConfig from(BrokerConfig config) {
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
            config.intValue(BrokerConfig.GROUP_COORDINATOR_THREADS));
    }

    /** The broker defaults. */
    public static GroupConfig defaults() {
        return from(BrokerConfig.defaults());
    }

    public GroupConfig withInitialRebalanceDelayMs(int delayMs) {
        return new GroupConfig(delayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize, offsetsRetentionMs,
            offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicPartitions, offsetsTopicReplicationFactor,
            offsetsTopicSegmentBytes, loadBufferBytes, threads);
    }

    public GroupConfig withMaxSize(int newMaxSize) {
        return new GroupConfig(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, newMaxSize, offsetsRetentionMs,
            offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicPartitions, offsetsTopicReplicationFactor,
            offsetsTopicSegmentBytes, loadBufferBytes, threads);
    }

    public GroupConfig withOffsetsRetentionMs(long retentionMs) {
        return new GroupConfig(initialRebalanceDelayMs, minSessionTimeoutMs, maxSessionTimeoutMs, maxSize, retentionMs,
            offsetsRetentionCheckIntervalMs, offsetMetadataMaxBytes, offsetsTopicPartitions, offsetsTopicReplicationFactor,
            offsetsTopicSegmentBytes, loadBufferBytes, threads);
    }
}
