package dev.borges.storage.config;

import static dev.borges.storage.config.ConfigKey.booleanKey;
import static dev.borges.storage.config.ConfigKey.doubleKey;
import static dev.borges.storage.config.ConfigKey.intKey;
import static dev.borges.storage.config.ConfigKey.listKey;
import static dev.borges.storage.config.ConfigKey.longKey;
import static dev.borges.storage.config.ConfigKey.stringKey;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration of one partition log: Kafka's topic-level keys, with Kafka's names, types and
 * defaults. Immutable; a topic config change makes a new instance that the log picks up.
 */
public final class LogConfig {
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_JITTER_MS = "segment.jitter.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String MESSAGE_TIMESTAMP_BEFORE_MAX_MS = "message.timestamp.before.max.ms";
    public static final String MESSAGE_TIMESTAMP_AFTER_MAX_MS = "message.timestamp.after.max.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String PREALLOCATE = "preallocate";
    public static final String COMPRESSION_TYPE = "compression.type";
    public static final String MIN_IN_SYNC_REPLICAS = "min.insync.replicas";
    public static final String UNCLEAN_LEADER_ELECTION_ENABLE = "unclean.leader.election.enable";

    public static final String CLEANUP_POLICY_DELETE = "delete";
    public static final String CLEANUP_POLICY_COMPACT = "compact";

    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    /** Every key, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        intKey(SEGMENT_BYTES, 1024 * 1024 * 1024, 14, "Size at which the active segment is closed and a new one started."),
        longKey(SEGMENT_MS, 7 * DAY_MS, 1, "Age at which the active segment is closed even if not full."),
        longKey(SEGMENT_JITTER_MS, 0, 0, "Random time subtracted from segment.ms, so segments of many partitions do not all roll at once."),
        intKey(SEGMENT_INDEX_BYTES, 10 * 1024 * 1024, 24, "Size of each segment's offset and time index files; a full index rolls the segment."),
        intKey(INDEX_INTERVAL_BYTES, 4096, 0, "Log bytes between two entries of the offset index."),
        intKey(MAX_MESSAGE_BYTES, 1024 * 1024 + 12, 0, "Largest record batch accepted, in bytes."),
        stringKey(MESSAGE_TIMESTAMP_TYPE, "CreateTime", List.of("CreateTime", "LogAppendTime"),
            "Whether records keep the producer's timestamp or get the broker's append time."),
        longKey(MESSAGE_TIMESTAMP_BEFORE_MAX_MS, Long.MAX_VALUE, 0, "How far in the past a CreateTime timestamp may be."),
        longKey(MESSAGE_TIMESTAMP_AFTER_MAX_MS, 60L * 60 * 1000, 0, "How far in the future a CreateTime timestamp may be."),
        longKey(RETENTION_MS, 7 * DAY_MS, -1, "Age after which closed segments are deleted (-1: no limit)."),
        longKey(RETENTION_BYTES, -1, -1, "Size above which the oldest closed segments are deleted (-1: no limit)."),
        listKey(CLEANUP_POLICY, List.of(CLEANUP_POLICY_DELETE), List.of(CLEANUP_POLICY_DELETE, CLEANUP_POLICY_COMPACT),
            "delete: drop old segments; compact: keep the latest record per key; both may be combined."),
        longKey(DELETE_RETENTION_MS, DAY_MS, 0, "How long compaction keeps tombstones."),
        doubleKey(MIN_CLEANABLE_DIRTY_RATIO, 0.5, 0, 1, "Share of the log not yet compacted above which compaction runs."),
        longKey(MIN_COMPACTION_LAG_MS, 0, 0, "Minimum age of a record before compaction may remove it."),
        longKey(MAX_COMPACTION_LAG_MS, Long.MAX_VALUE, 1, "Maximum age of a record before its segment must be compacted."),
        longKey(FLUSH_MESSAGES, Long.MAX_VALUE, 1, "Records appended between forced flushes (default: leave it to the OS)."),
        longKey(FLUSH_MS, Long.MAX_VALUE, 0, "Time between forced flushes (default: leave it to the OS)."),
        longKey(FILE_DELETE_DELAY_MS, 60_000, 0, "Delay before a deleted segment's files are removed from disk."),
        booleanKey(PREALLOCATE, false, "Preallocate segment files to their full size."),
        stringKey(COMPRESSION_TYPE, "producer", List.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"),
            "Compression of stored batches; producer keeps what the producer sent."),
        intKey(MIN_IN_SYNC_REPLICAS, 1, 1, "In-sync replicas an acks=all write needs."),
        booleanKey(UNCLEAN_LEADER_ELECTION_ENABLE, false, "Allow an out-of-sync replica to become leader, losing data."));

    private static final Map<String, ConfigKey> BY_NAME = index(KEYS);

    private final Map<String, Object> values;
    private final Map<String, String> overrides;

    private LogConfig(Map<String, Object> values, Map<String, String> overrides) {
        this.values = values;
        this.overrides = overrides;
    }

    /** All defaults. */
    public static LogConfig defaults() {
        return of(Map.of());
    }

    /**
     * The defaults with {@code overrides} applied.
     *
     * @throws InvalidConfigException for an unknown key or an invalid value
     */
    public static LogConfig of(Map<String, String> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : KEYS) {
            values.put(key.name(), key.defaultValue());
        }
        for (Map.Entry<String, String> override : overrides.entrySet()) {
            ConfigKey key = BY_NAME.get(override.getKey());
            if (key == null) {
                throw new InvalidConfigException("Unknown topic configuration " + override.getKey());
            }
            values.put(key.name(), key.parse(override.getValue()));
        }
        return new LogConfig(Collections.unmodifiableMap(values), Map.copyOf(overrides));
    }

    public static ConfigKey key(String name) {
        return BY_NAME.get(name);
    }

    /** The keys set explicitly, as given. */
    public Map<String, String> overrides() {
        return overrides;
    }

    /** A copy with more overrides on top of this one's. */
    public LogConfig with(Map<String, String> more) {
        Map<String, String> merged = new LinkedHashMap<>(overrides);
        merged.putAll(more);
        return of(merged);
    }

    public Object value(String name) {
        return values.get(name);
    }

    public int segmentBytes() {
        return (Integer) values.get(SEGMENT_BYTES);
    }

    public long segmentMs() {
        return (Long) values.get(SEGMENT_MS);
    }

    public long segmentJitterMs() {
        return (Long) values.get(SEGMENT_JITTER_MS);
    }

    public int segmentIndexBytes() {
        return (Integer) values.get(SEGMENT_INDEX_BYTES);
    }

    public int indexIntervalBytes() {
        return (Integer) values.get(INDEX_INTERVAL_BYTES);
    }

    public int maxMessageBytes() {
        return (Integer) values.get(MAX_MESSAGE_BYTES);
    }

    public boolean logAppendTime() {
        return "LogAppendTime".equals(values.get(MESSAGE_TIMESTAMP_TYPE));
    }

    public long messageTimestampBeforeMaxMs() {
        return (Long) values.get(MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
    }

    public long messageTimestampAfterMaxMs() {
        return (Long) values.get(MESSAGE_TIMESTAMP_AFTER_MAX_MS);
    }

    public long retentionMs() {
        return (Long) values.get(RETENTION_MS);
    }

    public long retentionBytes() {
        return (Long) values.get(RETENTION_BYTES);
    }

    public boolean compact() {
        return ((List<?>) values.get(CLEANUP_POLICY)).contains(CLEANUP_POLICY_COMPACT);
    }

    public boolean delete() {
        return ((List<?>) values.get(CLEANUP_POLICY)).contains(CLEANUP_POLICY_DELETE);
    }

    public long deleteRetentionMs() {
        return (Long) values.get(DELETE_RETENTION_MS);
    }

    public double minCleanableDirtyRatio() {
        return (Double) values.get(MIN_CLEANABLE_DIRTY_RATIO);
    }

    public long minCompactionLagMs() {
        return (Long) values.get(MIN_COMPACTION_LAG_MS);
    }

    public long maxCompactionLagMs() {
        return (Long) values.get(MAX_COMPACTION_LAG_MS);
    }

    public long flushMessages() {
        return (Long) values.get(FLUSH_MESSAGES);
    }

    public long flushMs() {
        return (Long) values.get(FLUSH_MS);
    }

    public long fileDeleteDelayMs() {
        return (Long) values.get(FILE_DELETE_DELAY_MS);
    }

    public int minInSyncReplicas() {
        return (Integer) values.get(MIN_IN_SYNC_REPLICAS);
    }

    public boolean preallocate() {
        return (Boolean) values.get(PREALLOCATE);
    }

    @Override
    public String toString() {
        return "LogConfig" + overrides;
    }

    private static Map<String, ConfigKey> index(List<ConfigKey> keys) {
        Map<String, ConfigKey> byName = new LinkedHashMap<>();
        for (ConfigKey key : keys) {
            byName.put(key.name(), key);
        }
        return Collections.unmodifiableMap(byName);
    }
}
