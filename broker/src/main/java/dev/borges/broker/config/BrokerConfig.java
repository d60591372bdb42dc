package dev.borges.broker.config;

import static dev.borges.storage.config.ConfigKey.booleanKey;
import static dev.borges.storage.config.ConfigKey.intKey;
import static dev.borges.storage.config.ConfigKey.listKey;
import static dev.borges.storage.config.ConfigKey.longKey;
import static dev.borges.storage.config.ConfigKey.stringKey;

import dev.borges.storage.cleaner.CleanerConfig;
import dev.borges.storage.config.ConfigKey;
import dev.borges.storage.config.InvalidConfigException;
import dev.borges.storage.config.LogConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The broker's configuration: Kafka's broker keys, with Kafka's names, types and defaults, read from
 * a properties file plus {@code --override key=value} pairs. Immutable.
 *
 * <p>Broker-level {@code log.*} keys are the defaults of topic configurations (Kafka calls them
 * synonyms: {@code log.segment.bytes} is the default of {@code segment.bytes}); {@link #topicDefaults()}
 * turns them into the overrides every new {@link LogConfig} starts from. Keys this broker does not
 * know are kept (a Kafka properties file may carry settings for features Borges lacks) and listed by
 * {@link #unknownKeys()} so the server can warn about them.
 */
public final class BrokerConfig {
    public static final String NODE_ID = "node.id";
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String LOG_DIRS = "log.dirs";
    public static final String LOG_DIR = "log.dir";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String DEFAULT_REPLICATION_FACTOR = "default.replication.factor";
    public static final String AUTO_CREATE_TOPICS_ENABLE = "auto.create.topics.enable";
    public static final String DELETE_TOPIC_ENABLE = "delete.topic.enable";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    public static final String NUM_NETWORK_THREADS = "num.network.threads";
    public static final String NUM_IO_THREADS = "num.io.threads";
    public static final String OFFSETS_TOPIC_NUM_PARTITIONS = "offsets.topic.num.partitions";
    public static final String OFFSETS_TOPIC_REPLICATION_FACTOR = "offsets.topic.replication.factor";
    public static final String TRANSACTION_STATE_LOG_NUM_PARTITIONS = "transaction.state.log.num.partitions";
    public static final String TRANSACTION_STATE_LOG_REPLICATION_FACTOR = "transaction.state.log.replication.factor";
    public static final String TRANSACTION_STATE_LOG_MIN_ISR = "transaction.state.log.min.isr";
    public static final String TRANSACTION_STATE_LOG_SEGMENT_BYTES = "transaction.state.log.segment.bytes";
    public static final String TRANSACTION_STATE_LOG_LOAD_BUFFER_SIZE = "transaction.state.log.load.buffer.size";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String TRANSACTIONAL_ID_EXPIRATION_MS = "transactional.id.expiration.ms";
    public static final String TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS =
        "transaction.abort.timed.out.transaction.cleanup.interval.ms";
    public static final String TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS =
        "transaction.remove.expired.transaction.cleanup.interval.ms";
    public static final String TRANSACTION_PARTITION_VERIFICATION_ENABLE = "transaction.partition.verification.enable";
    public static final String OFFSETS_TOPIC_SEGMENT_BYTES = "offsets.topic.segment.bytes";
    public static final String OFFSETS_LOAD_BUFFER_SIZE = "offsets.load.buffer.size";
    public static final String OFFSETS_RETENTION_MINUTES = "offsets.retention.minutes";
    public static final String OFFSETS_RETENTION_CHECK_INTERVAL_MS = "offsets.retention.check.interval.ms";
    public static final String OFFSET_METADATA_MAX_BYTES = "offset.metadata.max.bytes";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String GROUP_MAX_SIZE = "group.max.size";
    public static final String GROUP_COORDINATOR_THREADS = "group.coordinator.threads";
    public static final String GROUP_COORDINATOR_REBALANCE_PROTOCOLS = "group.coordinator.rebalance.protocols";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS = "group.consumer.min.session.timeout.ms";
    public static final String GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS = "group.consumer.max.session.timeout.ms";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS = "group.consumer.min.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS = "group.consumer.max.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_MAX_SIZE = "group.consumer.max.size";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";
    public static final String LOG_RETENTION_CHECK_INTERVAL_MS = "log.retention.check.interval.ms";
    public static final String LOG_FLUSH_SCHEDULER_INTERVAL_MS = "log.flush.scheduler.interval.ms";
    public static final String LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS = "log.flush.offset.checkpoint.interval.ms";
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";

    /**
     * Broker keys that set a topic configuration's default, and the topic key each one sets.
     * Several broker keys may set the same topic key; {@link #topicDefaults()} resolves them in
     * Kafka's order (milliseconds over minutes over hours).
     */
    static final Map<String, String> TOPIC_SYNONYMS = synonyms();

    /**
     * Topic keys whose default several broker keys set, highest precedence first, as
     * {@link #topicDefaults()} resolves them (Kafka's {@code ServerTopicConfigSynonyms}).
     */
    private static final Map<String, List<String>> TOPIC_SYNONYM_GROUPS = Map.of(
        LogConfig.SEGMENT_MS, List.of("log.roll.ms", "log.roll.hours"),
        LogConfig.SEGMENT_JITTER_MS, List.of("log.roll.jitter.ms", "log.roll.jitter.hours"),
        LogConfig.RETENTION_MS, List.of("log.retention.ms", "log.retention.minutes", "log.retention.hours"),
        LogConfig.FLUSH_MS, List.of("log.flush.interval.ms"));

    /** Keys whose default means "not set, another key decides" (Kafka's keys with a null default). */
    private static final Set<String> UNSET_BY_DEFAULT = Set.of(ADVERTISED_LISTENERS, "log.roll.ms", "log.roll.jitter.ms",
        "log.retention.ms", "log.retention.minutes", "log.flush.interval.ms");

    /** Every broker key this broker understands, in documentation order (the log cleaner's keys last). */
    public static final List<ConfigKey> KEYS = withCleanerKeys(List.of(
        intKey(NODE_ID, 1, 0, "This broker's id in the cluster."),
        stringKey(LISTENERS, "PLAINTEXT://localhost:9092", List.of(), "Where the broker listens: a comma-separated list of NAME://host:port."),
        stringKey(ADVERTISED_LISTENERS, "", List.of(), "What clients are told to connect to; defaults to listeners."),
        stringKey(LOG_DIRS, "./data", List.of(), "Directories holding the partition logs (only the first is used today)."),
        stringKey(LOG_DIR, "./data", List.of(), "The log directory when log.dirs is not set."),
        intKey(NUM_PARTITIONS, 1, 1, "Partitions of an automatically created topic."),
        intKey(DEFAULT_REPLICATION_FACTOR, 1, 1, "Replication factor of an automatically created topic."),
        booleanKey(AUTO_CREATE_TOPICS_ENABLE, true, "Create a topic when a client asks for metadata or produces to it."),
        booleanKey(DELETE_TOPIC_ENABLE, true, "Allow DeleteTopics."),
        intKey(SOCKET_REQUEST_MAX_BYTES, 100 * 1024 * 1024, 1, "Largest request the broker reads; a bigger frame closes the connection."),
        intKey(NUM_NETWORK_THREADS, 3, 1, "Threads serving connections."),
        intKey(NUM_IO_THREADS, 8, 1, "Threads handling requests."),
        intKey(OFFSETS_TOPIC_NUM_PARTITIONS, 50, 1, "Partitions of __consumer_offsets."),
        intKey(OFFSETS_TOPIC_REPLICATION_FACTOR, 3, 1, "Replication factor of __consumer_offsets (capped at the live brokers)."),
        intKey(TRANSACTION_STATE_LOG_NUM_PARTITIONS, 50, 1, "Partitions of __transaction_state."),
        intKey(TRANSACTION_STATE_LOG_REPLICATION_FACTOR, 3, 1, "Replication factor of __transaction_state (capped at the live brokers)."),
        intKey(TRANSACTION_STATE_LOG_MIN_ISR, 2, 1, "min.insync.replicas of __transaction_state (capped at its replication factor)."),
        intKey(TRANSACTION_STATE_LOG_SEGMENT_BYTES, 100 * 1024 * 1024, 1, "Segment size of __transaction_state."),
        intKey(TRANSACTION_STATE_LOG_LOAD_BUFFER_SIZE, 5 * 1024 * 1024, 1, "Bytes read at a time when loading transactions "
            + "from __transaction_state."),
        intKey(TRANSACTION_MAX_TIMEOUT_MS, 900_000, 1, "Largest transaction.timeout.ms a transactional producer may ask for "
            + "(a larger one gets INVALID_TRANSACTION_TIMEOUT)."),
        intKey(TRANSACTIONAL_ID_EXPIRATION_MS, 604_800_000, 1, "How long the coordinator keeps a transactional id that has "
            + "no transaction going on and sent nothing."),
        intKey(TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS, 10_000, 1, "How often the coordinator looks for "
            + "transactions older than their timeout, and aborts them (fencing their producer)."),
        intKey(TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS, 3_600_000, 1, "How often expired transactional "
            + "ids are removed."),
        booleanKey(TRANSACTION_PARTITION_VERIFICATION_ENABLE, true, "Refuse a transactional batch for a partition that "
            + "was not added to the producer's ongoing transaction (INVALID_TXN_STATE)."),
        intKey(OFFSETS_TOPIC_SEGMENT_BYTES, 100 * 1024 * 1024, 1, "Segment size of __consumer_offsets (kept small so compaction runs often)."),
        intKey(OFFSETS_LOAD_BUFFER_SIZE, 5 * 1024 * 1024, 1, "Bytes read at a time when loading groups and offsets from __consumer_offsets."),
        intKey(OFFSETS_RETENTION_MINUTES, 10080, 1, "How long committed offsets are kept after their group becomes empty "
            + "(or, for a group without members, after their last commit)."),
        longKey(OFFSETS_RETENTION_CHECK_INTERVAL_MS, 600_000L, 1, "How often expired offsets are looked for."),
        intKey(OFFSET_METADATA_MAX_BYTES, 4096, 0, "Largest metadata string an offset commit may carry."),
        intKey(GROUP_INITIAL_REBALANCE_DELAY_MS, 3000, 0, "How long a new consumer group waits for more members before its first rebalance."),
        intKey(GROUP_MIN_SESSION_TIMEOUT_MS, 6000, 0, "Smallest session timeout a group member may ask for."),
        intKey(GROUP_MAX_SESSION_TIMEOUT_MS, 1_800_000, 0, "Largest session timeout a group member may ask for."),
        intKey(GROUP_MAX_SIZE, Integer.MAX_VALUE, 1, "Most members a classic group admits."),
        intKey(GROUP_COORDINATOR_THREADS, 4, 1, "Threads running the group coordinator's shards (one per __consumer_offsets "
            + "partition, each always on the same thread)."),
        listKey(GROUP_COORDINATOR_REBALANCE_PROTOCOLS, List.of("classic", "consumer"), List.of("classic", "consumer", "streams", "share"),
            "Enabled rebalance protocols: classic (JoinGroup/SyncGroup) and consumer (KIP-848, ConsumerGroupHeartbeat; advertised "
            + "in ApiVersions only when enabled). Must include classic. Borges hosts no streams or share groups."),
        intKey(GROUP_CONSUMER_SESSION_TIMEOUT_MS, 45_000, 1, "A consumer group member (group.protocol=consumer) that has not "
            + "heartbeat for this long is removed."),
        intKey(GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS, 45_000, 1, "Lower bound of group.consumer.session.timeout.ms."),
        intKey(GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS, 60_000, 1, "Upper bound of group.consumer.session.timeout.ms."),
        intKey(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, 5000, 1, "How often consumer group members heartbeat (told in every response)."),
        intKey(GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS, 5000, 1, "Lower bound of group.consumer.heartbeat.interval.ms."),
        intKey(GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS, 15_000, 1, "Upper bound of group.consumer.heartbeat.interval.ms."),
        intKey(GROUP_CONSUMER_MAX_SIZE, Integer.MAX_VALUE, 1, "Most members a consumer group (group.protocol=consumer) admits."),
        listKey(GROUP_CONSUMER_ASSIGNORS, List.of("uniform", "range"), List.of("uniform", "range",
                "org.apache.kafka.coordinator.group.assignor.UniformAssignor", "org.apache.kafka.coordinator.group.assignor.RangeAssignor"),
            "Server-side assignors of consumer groups, by name (or Kafka's class name); the first is used when no member asks for one."),
        longKey(LOG_RETENTION_CHECK_INTERVAL_MS, 300_000L, 1, "How often retention runs."),
        longKey(LOG_FLUSH_SCHEDULER_INTERVAL_MS, Long.MAX_VALUE, 1, "How often logs are checked for flush.ms."),
        longKey(LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS, 60_000L, 1, "How often recovery points are checkpointed."),
        longKey(PRODUCER_ID_EXPIRATION_MS, 86_400_000L, 1, "How long an idle idempotent producer's state is kept."),
        // Defaults of topic configurations (Kafka's broker-level synonyms).
        intKey("log.segment.bytes", 1024 * 1024 * 1024, 14, "Default segment.bytes."),
        longKey("log.roll.ms", -1L, -1, "Default segment.ms, if set."),
        intKey("log.roll.hours", 168, 1, "Default segment.ms, in hours."),
        longKey("log.roll.jitter.ms", -1L, -1, "Default segment.jitter.ms, if set."),
        intKey("log.roll.jitter.hours", 0, 0, "Default segment.jitter.ms, in hours."),
        intKey("log.index.size.max.bytes", 10 * 1024 * 1024, 24, "Default segment.index.bytes."),
        intKey("log.index.interval.bytes", 4096, 0, "Default index.interval.bytes."),
        intKey("message.max.bytes", 1024 * 1024 + 12, 0, "Default max.message.bytes."),
        stringKey("log.message.timestamp.type", "CreateTime", List.of("CreateTime", "LogAppendTime"), "Default message.timestamp.type."),
        longKey("log.message.timestamp.before.max.ms", Long.MAX_VALUE, 0, "Default message.timestamp.before.max.ms."),
        longKey("log.message.timestamp.after.max.ms", 3_600_000L, 0, "Default message.timestamp.after.max.ms."),
        longKey("log.retention.ms", -2L, -2, "Default retention.ms, if set (-1: unlimited)."),
        intKey("log.retention.minutes", -2, -2, "Default retention.ms, in minutes, if set."),
        intKey("log.retention.hours", 168, -1, "Default retention.ms, in hours."),
        longKey("log.retention.bytes", -1L, -1, "Default retention.bytes."),
        listKey("log.cleanup.policy", List.of("delete"), List.of("delete", "compact"), "Default cleanup.policy."),
        longKey("log.cleaner.delete.retention.ms", 86_400_000L, 0, "Default delete.retention.ms."),
        ConfigKey.doubleKey("log.cleaner.min.cleanable.ratio", 0.5, 0, 1, "Default min.cleanable.dirty.ratio."),
        longKey("log.cleaner.min.compaction.lag.ms", 0L, 0, "Default min.compaction.lag.ms."),
        longKey("log.cleaner.max.compaction.lag.ms", Long.MAX_VALUE, 1, "Default max.compaction.lag.ms."),
        longKey("log.flush.interval.messages", Long.MAX_VALUE, 1, "Default flush.messages."),
        longKey("log.flush.interval.ms", -1L, -1, "Default flush.ms, if set."),
        longKey("log.segment.delete.delay.ms", 60_000L, 0, "Default file.delete.delay.ms."),
        booleanKey("log.preallocate", false, "Default preallocate."),
        stringKey("compression.type", "producer", List.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd"),
            "Default compression.type."),
        intKey("min.insync.replicas", 1, 1, "Default min.insync.replicas."),
        booleanKey("unclean.leader.election.enable", false, "Default unclean.leader.election.enable.")));

    private static final Map<String, ConfigKey> BY_NAME = index();

    private final Map<String, Object> values;
    private final Map<String, String> explicit;
    private final Map<String, String> unknown;

    private BrokerConfig(Map<String, Object> values, Map<String, String> explicit, Map<String, String> unknown) {
        this.values = values;
        this.explicit = explicit;
        this.unknown = unknown;
    }

    /** The embedded defaults: a broker that needs no file at all. */
    public static BrokerConfig defaults() {
        return of(Map.of());
    }

    /**
     * The defaults with {@code settings} applied.
     *
     * @throws InvalidConfigException for a value a known key does not accept
     */
    public static BrokerConfig of(Map<String, String> settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : KEYS) {
            values.put(key.name(), key.defaultValue());
        }
        Map<String, String> explicit = new LinkedHashMap<>();
        Map<String, String> unknown = new LinkedHashMap<>();
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            ConfigKey key = BY_NAME.get(setting.getKey());
            if (key == null) {
                unknown.put(setting.getKey(), setting.getValue());
            } else {
                values.put(key.name(), key.parse(setting.getValue()));
                explicit.put(key.name(), setting.getValue());
            }
        }
        BrokerConfig config = new BrokerConfig(Collections.unmodifiableMap(values), Collections.unmodifiableMap(explicit),
            Collections.unmodifiableMap(unknown));
        config.topicDefaults(); // fail now, not at the first topic, if the log.* keys do not make a valid LogConfig
        return config;
    }

    /**
     * Reads a Kafka-style properties file (if given) and applies {@code overrides} on top.
     *
     * @throws InvalidConfigException for an unreadable file or an invalid value
     */
    public static BrokerConfig load(Path propertiesFile, Map<String, String> overrides) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (propertiesFile != null) {
            Properties properties = new Properties();
            try (Reader reader = Files.newBufferedReader(propertiesFile)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new InvalidConfigException("Cannot read " + propertiesFile + ": " + e.getMessage());
            }
            for (String name : properties.stringPropertyNames()) {
                settings.put(name, properties.getProperty(name).trim());
            }
        }
        settings.putAll(overrides);
        return of(settings);
    }

    /**
     * Parses {@code key=value}, as given to {@code --override}.
     *
     * @throws InvalidConfigException if there is no '=' or no key
     */
    public static Map.Entry<String, String> parseOverride(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0) {
            throw new InvalidConfigException("Expected key=value, got '" + text + "'");
        }
        return Map.entry(text.substring(0, equals).trim(), text.substring(equals + 1).trim());
    }

    public static ConfigKey key(String name) {
        return BY_NAME.get(name);
    }

    public Object value(String name) {
        return values.get(name);
    }

    /** Whether {@code name} was set in the file or an override, rather than left at its default. */
    public boolean isExplicit(String name) {
        return explicit.containsKey(name);
    }

    /**
     * The key's value as text, as set in the file or an override, else its default; empty when
     * neither gives it a value ({@code log.retention.ms} left unset: {@code log.retention.hours} decides).
     */
    public Optional<String> valueText(String name) {
        if (explicit.containsKey(name)) {
            return Optional.of(explicit.get(name));
        }
        if (!values.containsKey(name) || UNSET_BY_DEFAULT.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(format(values.get(name)));
    }

    /**
     * The broker keys that set the default of topic key {@code topicKey}, highest precedence first
     * ({@code retention.ms}: {@code log.retention.ms}, {@code log.retention.minutes},
     * {@code log.retention.hours}); empty when no broker key does.
     */
    public static List<String> topicKeySynonyms(String topicKey) {
        List<String> group = TOPIC_SYNONYM_GROUPS.get(topicKey);
        if (group != null) {
            return group;
        }
        return TOPIC_SYNONYMS.entrySet().stream().filter(e -> e.getValue().equals(topicKey)).map(Map.Entry::getKey).toList();
    }

    /**
     * The broker keys that set the same thing as {@code brokerKey}, highest precedence first,
     * including it ({@code log.roll.hours}: {@code log.roll.ms}, {@code log.roll.hours}); the key
     * alone when it has no synonyms.
     */
    public static List<String> brokerKeySynonyms(String brokerKey) {
        for (List<String> group : TOPIC_SYNONYM_GROUPS.values()) {
            if (group.contains(brokerKey)) {
                return group;
            }
        }
        return List.of(brokerKey);
    }

    /** Settings this broker does not know, as given. */
    public Map<String, String> unknownKeys() {
        return unknown;
    }

    public int nodeId() {
        return (Integer) values.get(NODE_ID);
    }

    public List<Listener> listeners() {
        return Listener.parseList((String) values.get(LISTENERS));
    }

    /** The listeners clients are told about: {@code advertised.listeners}, or {@code listeners} when unset. */
    public List<Listener> advertisedListeners() {
        String advertised = (String) values.get(ADVERTISED_LISTENERS);
        return advertised.isBlank() ? listeners() : Listener.parseList(advertised);
    }

    /** The log directory: the first of {@code log.dirs}, or {@code log.dir}. */
    public Path logDir() {
        String dirs = isExplicit(LOG_DIRS) || !isExplicit(LOG_DIR) ? (String) values.get(LOG_DIRS) : (String) values.get(LOG_DIR);
        return Path.of(dirs.split(",")[0].trim());
    }

    public int numPartitions() {
        return (Integer) values.get(NUM_PARTITIONS);
    }

    public int defaultReplicationFactor() {
        return (Integer) values.get(DEFAULT_REPLICATION_FACTOR);
    }

    public boolean autoCreateTopics() {
        return (Boolean) values.get(AUTO_CREATE_TOPICS_ENABLE);
    }

    public boolean deleteTopicEnable() {
        return (Boolean) values.get(DELETE_TOPIC_ENABLE);
    }

    public int socketRequestMaxBytes() {
        return (Integer) values.get(SOCKET_REQUEST_MAX_BYTES);
    }

    public int numNetworkThreads() {
        return (Integer) values.get(NUM_NETWORK_THREADS);
    }

    public int numIoThreads() {
        return (Integer) values.get(NUM_IO_THREADS);
    }

    public boolean booleanValue(String name) {
        return (Boolean) values.get(name);
    }

    public int intValue(String name) {
        return (Integer) values.get(name);
    }

    public long longValue(String name) {
        return (Long) values.get(name);
    }

    @SuppressWarnings("unchecked")
    public List<String> listValue(String name) {
        return (List<String>) values.get(name);
    }

    /**
     * The topic-configuration defaults this broker's {@code log.*} keys set, as topic-key overrides:
     * what every topic's {@link LogConfig} starts from before its own overrides.
     */
    public Map<String, String> topicDefaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (Map.Entry<String, String> synonym : TOPIC_SYNONYMS.entrySet()) {
            defaults.put(synonym.getValue(), format(values.get(synonym.getKey())));
        }
        defaults.put(LogConfig.SEGMENT_MS, Long.toString(pick("log.roll.ms", "log.roll.hours", 60 * 60 * 1000L)));
        defaults.put(LogConfig.SEGMENT_JITTER_MS, Long.toString(Math.max(0, pick("log.roll.jitter.ms", "log.roll.jitter.hours",
            60 * 60 * 1000L))));
        defaults.put(LogConfig.RETENTION_MS, Long.toString(retentionMs()));
        long flushMs = (Long) values.get("log.flush.interval.ms");
        defaults.put(LogConfig.FLUSH_MS, Long.toString(flushMs < 0 ? Long.MAX_VALUE : flushMs));
        LogConfig.of(defaults); // validates the combination
        return Collections.unmodifiableMap(defaults);
    }

    /** A topic's configuration: this broker's defaults with the topic's own settings on top. */
    public LogConfig logConfig(Map<String, String> topicOverrides) {
        Map<String, String> merged = new LinkedHashMap<>(topicDefaults());
        merged.putAll(topicOverrides);
        return LogConfig.of(merged);
    }

    /** The log cleaner's settings ({@code log.cleaner.*}). */
    public CleanerConfig cleanerConfig() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (ConfigKey key : CleanerConfig.KEYS) {
            if (explicit.containsKey(key.name())) {
                settings.put(key.name(), explicit.get(key.name()));
            }
        }
        return CleanerConfig.of(settings);
    }

    private static List<ConfigKey> withCleanerKeys(List<ConfigKey> brokerKeys) {
        List<ConfigKey> all = new java.util.ArrayList<>(brokerKeys);
        all.addAll(CleanerConfig.KEYS);
        return List.copyOf(all);
    }

    /** {@code log.retention.ms}, else minutes, else hours, as Kafka resolves them. */
    private long retentionMs() {
        long ms = (Long) values.get("log.retention.ms");
        if (ms != -2L) {
            return ms;
        }
        int minutes = (Integer) values.get("log.retention.minutes");
        if (minutes != -2) {
            return minutes < 0 ? -1L : minutes * 60_000L;
        }
        int hours = (Integer) values.get("log.retention.hours");
        return hours < 0 ? -1L : hours * 3_600_000L;
    }

    /** A milliseconds key if set (not -1), else the hours key. */
    private long pick(String msKey, String hoursKey, long hourMs) {
        long ms = (Long) values.get(msKey);
        return ms >= 0 ? ms : ((Integer) values.get(hoursKey)) * hourMs;
    }

    private static String format(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(Object::toString).toList()) : value.toString();
    }

    private static Map<String, String> synonyms() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("log.segment.bytes", LogConfig.SEGMENT_BYTES);
        map.put("log.index.size.max.bytes", LogConfig.SEGMENT_INDEX_BYTES);
        map.put("log.index.interval.bytes", LogConfig.INDEX_INTERVAL_BYTES);
        map.put("message.max.bytes", LogConfig.MAX_MESSAGE_BYTES);
        map.put("log.message.timestamp.type", LogConfig.MESSAGE_TIMESTAMP_TYPE);
        map.put("log.message.timestamp.before.max.ms", LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS);
        map.put("log.message.timestamp.after.max.ms", LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS);
        map.put("log.retention.bytes", LogConfig.RETENTION_BYTES);
        map.put("log.cleanup.policy", LogConfig.CLEANUP_POLICY);
        map.put("log.cleaner.delete.retention.ms", LogConfig.DELETE_RETENTION_MS);
        map.put("log.cleaner.min.cleanable.ratio", LogConfig.MIN_CLEANABLE_DIRTY_RATIO);
        map.put("log.cleaner.min.compaction.lag.ms", LogConfig.MIN_COMPACTION_LAG_MS);
        map.put("log.cleaner.max.compaction.lag.ms", LogConfig.MAX_COMPACTION_LAG_MS);
        map.put("log.flush.interval.messages", LogConfig.FLUSH_MESSAGES);
        map.put("log.segment.delete.delay.ms", LogConfig.FILE_DELETE_DELAY_MS);
        map.put("log.preallocate", LogConfig.PREALLOCATE);
        map.put("compression.type", LogConfig.COMPRESSION_TYPE);
        map.put("min.insync.replicas", LogConfig.MIN_IN_SYNC_REPLICAS);
        map.put("unclean.leader.election.enable", LogConfig.UNCLEAN_LEADER_ELECTION_ENABLE);
        return Collections.unmodifiableMap(map);
    }

    private static Map<String, ConfigKey> index() {
        Map<String, ConfigKey> byName = new LinkedHashMap<>();
        for (ConfigKey key : KEYS) {
            byName.put(key.name(), key);
        }
        return Collections.unmodifiableMap(byName);
    }
}
