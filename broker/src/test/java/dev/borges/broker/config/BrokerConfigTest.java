package dev.borges.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.assignor.PartitionAssignor;
import dev.borges.broker.group.consumer.ConsumerGroupConfig;
import dev.borges.storage.config.InvalidConfigException;
import dev.borges.storage.config.LogConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {

    @Test
    void embeddedDefaultsNeedNothingElse() {
        BrokerConfig config = BrokerConfig.defaults();
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.listeners()).containsExactly(new Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.advertisedListeners()).isEqualTo(config.listeners());
        assertThat(config.logDir()).isEqualTo(Path.of("./data"));
        assertThat(config.numPartitions()).isEqualTo(1);
        assertThat(config.defaultReplicationFactor()).isEqualTo(1);
        assertThat(config.autoCreateTopics()).isTrue();
        assertThat(config.socketRequestMaxBytes()).isEqualTo(104_857_600);
    }

    @Test
    void readsAKafkaPropertiesFileWithOverridesOnTop(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("server.properties");
        Files.writeString(file, """
            # a Kafka-style file
            node.id=3
            listeners=PLAINTEXT://0.0.0.0:19092
            advertised.listeners=PLAINTEXT://broker3.example:19092
            log.dirs=/var/lib/borges/a,/var/lib/borges/b
            num.partitions = 6
            process.roles=broker,controller
            """);
        BrokerConfig config = BrokerConfig.load(file, Map.of("num.partitions", "12"));
        assertThat(config.nodeId()).isEqualTo(3);
        assertThat(config.listeners()).containsExactly(new Listener("PLAINTEXT", "0.0.0.0", 19092));
        assertThat(config.advertisedListeners()).containsExactly(new Listener("PLAINTEXT", "broker3.example", 19092));
        assertThat(config.logDir()).isEqualTo(Path.of("/var/lib/borges/a"));
        assertThat(config.numPartitions()).as("the override wins").isEqualTo(12);
        assertThat(config.unknownKeys()).containsOnlyKeys("process.roles");
        assertThat(config.isExplicit("node.id")).isTrue();
        assertThat(config.isExplicit("delete.topic.enable")).isFalse();
    }

    @Test
    void brokerLogKeysBecomeTopicDefaults() {
        BrokerConfig config = BrokerConfig.of(Map.of(
            "log.segment.bytes", "1048576",
            "log.retention.hours", "1",
            "log.cleanup.policy", "compact,delete",
            "message.max.bytes", "2000000"));
        LogConfig topic = config.logConfig(Map.of());
        assertThat(topic.segmentBytes()).isEqualTo(1_048_576);
        assertThat(topic.retentionMs()).isEqualTo(3_600_000L);
        assertThat(topic.compact()).isTrue();
        assertThat(topic.delete()).isTrue();
        assertThat(topic.maxMessageBytes()).isEqualTo(2_000_000);
        assertThat(topic.segmentMs()).isEqualTo(7 * 24 * 3_600_000L);
        assertThat(config.logConfig(Map.of(LogConfig.RETENTION_MS, "5000")).retentionMs()).as("a topic's own setting wins").isEqualTo(5000);
    }

    @Test
    void retentionMillisecondsWinOverMinutesOverHours() {
        assertThat(BrokerConfig.of(Map.of("log.retention.hours", "2", "log.retention.minutes", "3")).logConfig(Map.of()).retentionMs())
            .isEqualTo(180_000L);
        assertThat(BrokerConfig.of(Map.of("log.retention.minutes", "3", "log.retention.ms", "42")).logConfig(Map.of()).retentionMs())
            .isEqualTo(42L);
        assertThat(BrokerConfig.of(Map.of("log.retention.hours", "-1")).logConfig(Map.of()).retentionMs()).isEqualTo(-1L);
        assertThat(BrokerConfig.defaults().logConfig(Map.of()).retentionMs()).isEqualTo(7 * 24 * 3_600_000L);
    }

    @Test
    void namesTheBrokerKeysBehindEachTopicKeyInKafkasOrder() {
        assertThat(BrokerConfig.topicKeySynonyms("retention.ms"))
            .containsExactly("log.retention.ms", "log.retention.minutes", "log.retention.hours");
        assertThat(BrokerConfig.topicKeySynonyms("segment.ms")).containsExactly("log.roll.ms", "log.roll.hours");
        assertThat(BrokerConfig.topicKeySynonyms("max.message.bytes")).containsExactly("message.max.bytes");
        assertThat(BrokerConfig.topicKeySynonyms("cleanup.policy")).containsExactly("log.cleanup.policy");
        for (String topicKey : LogConfig.KEYS.stream().map(k -> k.name()).toList()) {
            assertThat(BrokerConfig.topicKeySynonyms(topicKey)).as(topicKey).isNotEmpty()
                .allSatisfy(brokerKey -> assertThat(BrokerConfig.key(brokerKey)).as(brokerKey).isNotNull());
        }
        assertThat(BrokerConfig.brokerKeySynonyms("log.roll.hours")).containsExactly("log.roll.ms", "log.roll.hours");
        assertThat(BrokerConfig.brokerKeySynonyms("num.partitions")).containsExactly("num.partitions");
    }

    @Test
    void valueTextIsWhatWasSetOrTheDefaultAndEmptyForKeysUnsetByDefault() {
        BrokerConfig config = BrokerConfig.of(Map.of("log.retention.minutes", "30"));
        assertThat(config.valueText("log.retention.minutes")).contains("30");
        assertThat(config.valueText("log.retention.hours")).contains("168");
        assertThat(config.valueText("log.retention.ms")).as("Kafka's null default").isEmpty();
        assertThat(config.valueText("log.cleanup.policy")).contains("delete");
        assertThat(config.valueText("log.cleaner.min.cleanable.ratio")).contains("0.5");
        assertThat(config.valueText("no.such.key")).isEmpty();
    }

    @Test
    void logCleanerSettingsAreKnownAndReachTheCleaner() {
        BrokerConfig config = BrokerConfig.of(Map.of("log.cleaner.backoff.ms", "500", "log.cleaner.enable", "false"));
        assertThat(config.unknownKeys()).isEmpty();
        assertThat(config.cleanerConfig().backoffMs()).isEqualTo(500);
        assertThat(config.cleanerConfig().enabled()).isFalse();
        assertThat(BrokerConfig.defaults().cleanerConfig().enabled()).isTrue();
    }

    @Test
    void invalidValuesAreRefusedWithTheKeyAndValue() {
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("num.partitions", "zero")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("num.partitions").hasMessageContaining("zero");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("num.partitions", "0")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("listeners", "localhost:9092")).listeners())
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("NAME://host:port");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("log.cleanup.policy", "shred")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("log.cleanup.policy");
    }

    @Test
    void parsesOverridesAndListeners() {
        assertThat(BrokerConfig.parseOverride("log.dirs=/tmp/x=y")).isEqualTo(Map.entry("log.dirs", "/tmp/x=y"));
        assertThatThrownBy(() -> BrokerConfig.parseOverride("novalue")).isInstanceOf(InvalidConfigException.class);
        assertThat(Listener.parseList("PLAINTEXT://:9092, INTERNAL://[::1]:9093")).containsExactly(
            new Listener("PLAINTEXT", "", 9092), new Listener("INTERNAL", "::1", 9093));
        assertThat(new Listener("INTERNAL", "::1", 9093)).hasToString("INTERNAL://[::1]:9093");
        assertThat(List.of(BrokerConfig.key("node.id").name())).containsExactly("node.id");
    }

    @Test
    void groupCoordinatorKeysHaveKafkasNamesAndDefaults() {
        BrokerConfig defaults = BrokerConfig.defaults();
        assertThat(defaults.intValue(BrokerConfig.GROUP_INITIAL_REBALANCE_DELAY_MS)).isEqualTo(3000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_MIN_SESSION_TIMEOUT_MS)).isEqualTo(6000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_MAX_SESSION_TIMEOUT_MS)).isEqualTo(1_800_000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_MAX_SIZE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaults.intValue(BrokerConfig.GROUP_COORDINATOR_THREADS)).isEqualTo(4);
        assertThat(defaults.intValue(BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS)).isEqualTo(50);
        assertThat(defaults.intValue(BrokerConfig.OFFSETS_TOPIC_REPLICATION_FACTOR)).isEqualTo(3);
        assertThat(defaults.intValue(BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES)).isEqualTo(104_857_600);
        assertThat(defaults.intValue(BrokerConfig.OFFSETS_LOAD_BUFFER_SIZE)).isEqualTo(5_242_880);
        assertThat(defaults.intValue(BrokerConfig.OFFSETS_RETENTION_MINUTES)).isEqualTo(10080);
        assertThat(defaults.longValue(BrokerConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS)).isEqualTo(600_000L);
        assertThat(defaults.intValue(BrokerConfig.OFFSET_METADATA_MAX_BYTES)).isEqualTo(4096);

        dev.borges.broker.group.GroupConfig group = dev.borges.broker.group.GroupConfig.from(BrokerConfig.of(Map.of(
            "group.initial.rebalance.delay.ms", "0", "offsets.retention.minutes", "2", "group.max.size", "10")));
        assertThat(group.initialRebalanceDelayMs()).isZero();
        assertThat(group.offsetsRetentionMs()).isEqualTo(120_000L);
        assertThat(group.maxSize()).isEqualTo(10);
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.max.size", "0"))).isInstanceOf(InvalidConfigException.class);
    }

    @Test
    void consumerGroupKeysHaveKafkasNamesAndDefaults() {
        BrokerConfig defaults = BrokerConfig.defaults();
        assertThat(defaults.listValue(BrokerConfig.GROUP_COORDINATOR_REBALANCE_PROTOCOLS)).containsExactly("classic", "consumer");
        assertThat(defaults.intValue(BrokerConfig.GROUP_CONSUMER_SESSION_TIMEOUT_MS)).isEqualTo(45_000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS)).isEqualTo(45_000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_CONSUMER_MAX_SESSION_TIMEOUT_MS)).isEqualTo(60_000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS)).isEqualTo(5000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS)).isEqualTo(5000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_CONSUMER_MAX_HEARTBEAT_INTERVAL_MS)).isEqualTo(15_000);
        assertThat(defaults.intValue(BrokerConfig.GROUP_CONSUMER_MAX_SIZE)).isEqualTo(Integer.MAX_VALUE);
        assertThat(defaults.listValue(BrokerConfig.GROUP_CONSUMER_ASSIGNORS)).containsExactly("uniform", "range");

        GroupConfig group = GroupConfig.defaults();
        ConsumerGroupConfig consumer = group.consumer();
        assertThat(group.consumerProtocolEnabled()).isTrue();
        assertThat(List.of(consumer.heartbeatIntervalMs(), consumer.sessionTimeoutMs(), consumer.maxSize()))
            .isEqualTo(List.of(ConsumerGroupConfig.DEFAULTS.heartbeatIntervalMs(), ConsumerGroupConfig.DEFAULTS.sessionTimeoutMs(),
                ConsumerGroupConfig.DEFAULTS.maxSize()));
        assertThat(consumer.assignors()).extracting(PartitionAssignor::name).containsExactly("uniform", "range");
    }

    @Test
    void consumerGroupSettingsAreReadAndCheckedAsKafkaChecksThem() {
        GroupConfig group = GroupConfig.from(BrokerConfig.of(Map.of(
            "group.consumer.session.timeout.ms", "6000", "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "500", "group.consumer.min.heartbeat.interval.ms", "500",
            "group.consumer.max.size", "3",
            "group.consumer.assignors", "org.apache.kafka.coordinator.group.assignor.RangeAssignor, uniform",
            "group.coordinator.rebalance.protocols", "classic")));
        assertThat(group.consumer().sessionTimeoutMs()).isEqualTo(6000);
        assertThat(group.consumer().heartbeatIntervalMs()).isEqualTo(500);
        assertThat(group.consumer().maxSize()).isEqualTo(3);
        assertThat(group.consumer().defaultAssignor().name()).as("Kafka's class names work too").isEqualTo("range");
        assertThat(group.consumerProtocolEnabled()).isFalse();

        assertThatThrownBy(() -> GroupConfig.from(BrokerConfig.of(Map.of("group.consumer.session.timeout.ms", "6000"))))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("group.consumer.min.session.timeout.ms");
        assertThatThrownBy(() -> GroupConfig.from(BrokerConfig.of(Map.of("group.consumer.heartbeat.interval.ms", "20000"))))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("group.consumer.max.heartbeat.interval.ms");
        assertThatThrownBy(() -> GroupConfig.from(BrokerConfig.of(Map.of("group.consumer.min.session.timeout.ms", "1000",
            "group.consumer.session.timeout.ms", "5000")))).isInstanceOf(InvalidConfigException.class)
            .hasMessageContaining("must be less than group.consumer.session.timeout.ms");
        assertThatThrownBy(() -> GroupConfig.from(BrokerConfig.of(Map.of("group.coordinator.rebalance.protocols", "consumer"))))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("must contain classic");
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("group.consumer.assignors", "sticky")))
            .isInstanceOf(InvalidConfigException.class);
    }
}
