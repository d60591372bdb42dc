package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.errors.OffsetOutOfRangeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.AlterConfigsRequest;
import org.apache.kafka.common.requests.AlterConfigsResponse;
import org.apache.kafka.common.requests.ApiError;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java Admin client (kafka-clients 4.4), with default settings, against a real broker on a
 * loopback port: every admin API the broker serves, and what a user relies on after each call.
 * One broker for the class, started with {@code log.retention.hours=72} so that broker-level
 * ("static") settings show up in DescribeConfigs; each test uses its own topics.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminClientIT {
    private static final int WAIT_S = 30;

    private BrokerServer broker;
    private Admin admin;

    @BeforeAll
    void start(@TempDir Path dataDir) throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0",
            "log.retention.hours", "72")));
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        admin = Admin.create(props);
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.get(WAIT_S, TimeUnit.SECONDS);
    }

    /** The cause of the failure of {@code future}, which must fail. */
    private static Throwable failure(Future<?> future) {
        try {
            future.get(WAIT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("Expected a failed future, got " + e, e);
        }
        throw new AssertionError("Expected a failed future, but it succeeded");
    }

    private void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        get(admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all());
    }

    private KafkaProducer<String, String> producer() {
        return producer(bootstrap());
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private KafkaConsumer<String, String> consumer(String autoOffsetReset) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private void produce(String topic, int partition, int count, long timestamp) throws Exception {
        try (KafkaProducer<String, String> producer = producer()) {
            for (int i = 0; i < count; i++) {
                get(producer.send(new ProducerRecord<>(topic, partition, timestamp + i, "k" + i, "v" + i)));
            }
        }
    }

    /** Polls until {@code count} records arrived (or 30 s passed). */
    private static List<ConsumerRecord<String, String>> poll(KafkaConsumer<String, String> consumer, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    private Config describe(ConfigResource resource, boolean synonyms) throws Exception {
        return get(admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(synonyms)
            .includeDocumentation(true)).all()).get(resource);
    }

    // ---- CreatePartitions ------------------------------------------------------------------------

    @Test
    void createdPartitionsShowInDescribeTopicsAndTakeRecords() throws Exception {
        createTopic("grow", 1, Map.of());
        get(admin.createPartitions(Map.of("grow", NewPartitions.increaseTo(3))).all());

        TopicDescription description = get(admin.describeTopics(List.of("grow")).allTopicNames()).get("grow");
        assertThat(description.partitions()).hasSize(3);
        assertThat(description.partitions()).allSatisfy(p -> assertThat(p.leader().id()).isEqualTo(1));

        try (KafkaProducer<String, String> producer = producer()) {
            RecordMetadata written = get(producer.send(new ProducerRecord<>("grow", 2, "key", "in the new partition")));
            assertThat(written.partition()).isEqualTo(2);
            assertThat(written.offset()).isZero();
        }
        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            consumer.assign(List.of(new TopicPartition("grow", 2)));
            assertThat(poll(consumer, 1)).extracting(ConsumerRecord::value).containsExactly("in the new partition");
        }
    }

    @Test
    void createPartitionsValidatesOnlyWhenAskedAndRefusesToShrink() throws Exception {
        createTopic("steady", 2, Map.of());
        get(admin.createPartitions(Map.of("steady", NewPartitions.increaseTo(5)), new CreatePartitionsOptions().validateOnly(true)).all());
        assertThat(get(admin.describeTopics(List.of("steady")).allTopicNames()).get("steady").partitions()).hasSize(2);

        assertThat(failure(admin.createPartitions(Map.of("steady", NewPartitions.increaseTo(1))).all()))
            .isInstanceOf(InvalidPartitionsException.class);
        assertThat(failure(admin.createPartitions(Map.of("no-such-topic", NewPartitions.increaseTo(4))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    // ---- DescribeConfigs -------------------------------------------------------------------------

    @Test
    void describesTopicConfigsWithKafkaSourcesAndSynonyms() throws Exception {
        createTopic("described", 1, Map.of("retention.ms", "3600000", "cleanup.policy", "compact"));
        Config config = describe(new ConfigResource(ConfigResource.Type.TOPIC, "described"), true);

        ConfigEntry retention = config.get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.isReadOnly()).isFalse();
        assertThat(retention.isSensitive()).isFalse();
        assertThat(retention.type()).isEqualTo(ConfigEntry.ConfigType.LONG);
        assertThat(retention.documentation()).isNotBlank();
        assertThat(retention.synonyms()).extracting(s -> s.name() + "=" + s.value() + " " + s.source()).containsExactly(
            "retention.ms=3600000 DYNAMIC_TOPIC_CONFIG",
            "log.retention.hours=72 STATIC_BROKER_CONFIG",
            "log.retention.hours=168 DEFAULT_CONFIG");

        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("cleanup.policy").type()).isEqualTo(ConfigEntry.ConfigType.LIST);
        ConfigEntry segment = config.get("segment.bytes");
        assertThat(segment.value()).isEqualTo("1073741824");
        assertThat(segment.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(segment.type()).isEqualTo(ConfigEntry.ConfigType.INT);

        createTopic("inheriting", 1, Map.of());
        Config plain = describe(new ConfigResource(ConfigResource.Type.TOPIC, "inheriting"), false);
        ConfigEntry inherited = plain.get("retention.ms");
        assertThat(inherited.value()).as("72 hours from the broker").isEqualTo(Long.toString(72L * 3600 * 1000));
        assertThat(inherited.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(inherited.synonyms()).isEmpty();

        assertThat(failure(admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "nope"))).all()))
            .isInstanceOf(UnknownTopicOrPartitionException.class);
    }

    @Test
    void describesTheBrokersConfigAsStaticOrDefaultAndReadOnly() throws Exception {
        Config config = describe(new ConfigResource(ConfigResource.Type.BROKER, "1"), true);
        ConfigEntry hours = config.get("log.retention.hours");
        assertThat(hours.value()).isEqualTo("72");
        assertThat(hours.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        assertThat(hours.isReadOnly()).isTrue();
        assertThat(config.get("log.dirs").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        ConfigEntry partitions = config.get("num.partitions");
        assertThat(partitions.value()).isEqualTo("1");
        assertThat(partitions.source()).isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(partitions.type()).isEqualTo(ConfigEntry.ConfigType.INT);
        assertThat(config.get("log.retention.ms").value()).as("unset, as in Kafka").isNull();
    }

    // ---- IncrementalAlterConfigs and AlterConfigs ------------------------------------------------

    @Test
    void incrementalAlterConfigsChangesWhatDescribeConfigsAndTheLogSee() throws Exception {
        createTopic("tuned", 1, Map.of());
        ConfigResource tuned = new ConfigResource(ConfigResource.Type.TOPIC, "tuned");
        Map<ConfigResource, Collection<AlterConfigOp>> changes = Map.of(tuned, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "123456"), AlterConfigOp.OpType.SET),
            new AlterConfigOp(new ConfigEntry("cleanup.policy", "compact"), AlterConfigOp.OpType.APPEND),
            new AlterConfigOp(new ConfigEntry("max.message.bytes", "1024"), AlterConfigOp.OpType.SET)));
        get(admin.incrementalAlterConfigs(changes).all());

        Config config = describe(tuned, false);
        assertThat(config.get("retention.ms").value()).isEqualTo("123456");
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("cleanup.policy").value()).as("appended to the default").isEqualTo("delete,compact");
        assertThat(config.get("max.message.bytes").value()).isEqualTo("1024");

        try (KafkaProducer<String, String> producer = producer()) {
            assertThat(failure(producer.send(new ProducerRecord<>("tuned", 0, "big", "x".repeat(4096)))))
                .as("the partition's log took the new max.message.bytes").isInstanceOf(RecordTooLargeException.class);
            assertThat(get(producer.send(new ProducerRecord<>("tuned", 0, "small", "fits"))).offset()).isZero();
        }

        get(admin.incrementalAlterConfigs(Map.of(tuned, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", null), AlterConfigOp.OpType.DELETE)))).all());
        ConfigEntry back = describe(tuned, false).get("retention.ms");
        assertThat(back.value()).isEqualTo(Long.toString(72L * 3600 * 1000));
        assertThat(back.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
    }

    @Test
    void invalidConfigChangesFailWithAMessageAndChangeNothing() throws Exception {
        createTopic("guarded", 1, Map.of());
        ConfigResource guarded = new ConfigResource(ConfigResource.Type.TOPIC, "guarded");
        Throwable badValue = failure(admin.incrementalAlterConfigs(Map.of(guarded, List.of(
            new AlterConfigOp(new ConfigEntry("retention.ms", "forever"), AlterConfigOp.OpType.SET)))).all());
        assertThat(badValue).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.ms");
        Throwable badKey = failure(admin.incrementalAlterConfigs(Map.of(guarded, List.of(
            new AlterConfigOp(new ConfigEntry("retention.days", "3"), AlterConfigOp.OpType.SET)))).all());
        assertThat(badKey).isInstanceOf(InvalidConfigurationException.class).hasMessageContaining("retention.days");
        assertThat(describe(guarded, false).get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);

        Throwable broker = failure(admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.BROKER, "1"), List.of(
            new AlterConfigOp(new ConfigEntry("log.retention.hours", "1"), AlterConfigOp.OpType.SET)))).all());
        assertThat(broker).isInstanceOf(InvalidRequestException.class).hasMessageContaining("not supported");
    }

    @Test
    void legacyAlterConfigsFromKafkaClientsCodecReplacesTheTopicsOverrides() throws Exception {
        createTopic("replaced", 1, Map.of("retention.ms", "1000", "segment.bytes", "1048576"));
        ConfigResource replaced = new ConfigResource(ConfigResource.Type.TOPIC, "replaced");

        Map<ConfigResource, ApiError> ok = legacyAlterConfigs(replaced, "max.message.bytes", "2048");
        assertThat(ok.get(replaced).error()).isEqualTo(Errors.NONE);
        Config config = describe(replaced, false);
        assertThat(config.get("max.message.bytes").value()).isEqualTo("2048");
        assertThat(config.get("max.message.bytes").source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(config.get("segment.bytes").source()).as("left out, so back to the default").isEqualTo(ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(config.get("retention.ms").source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);

        ApiError invalid = legacyAlterConfigs(replaced, "segment.bytes", "-5").get(replaced);
        assertThat(invalid.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(invalid.message()).contains("segment.bytes");
    }

    /**
     * Admin in Kafka 4 no longer has the legacy alterConfigs(); kafka-clients' own request and
     * response classes still write and read AlterConfigs v2, over a plain socket.
     */
    private Map<ConfigResource, ApiError> legacyAlterConfigs(ConfigResource resource, String name, String value) throws Exception {
        short version = ApiKeys.ALTER_CONFIGS.latestVersion();
        RequestHeader header = new RequestHeader(ApiKeys.ALTER_CONFIGS, version, "legacy-tool", 7);
        AlterConfigsRequest request = new AlterConfigsRequest.Builder(Map.of(resource,
            new AlterConfigsRequest.Config(List.of(new AlterConfigsRequest.ConfigEntry(name, value)))), false).build(version);
        ByteBuffer bytes = request.serializeWithHeader(header);
        try (Socket socket = new Socket("127.0.0.1", broker.port())) {
            socket.setSoTimeout(WAIT_S * 1000);
            OutputStream out = socket.getOutputStream();
            out.write(ByteBuffer.allocate(4).putInt(bytes.remaining()).array());
            byte[] payload = new byte[bytes.remaining()];
            bytes.get(payload);
            out.write(payload);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            return ((AlterConfigsResponse) AbstractResponse.parseResponse(ByteBuffer.wrap(response), header)).errors();
        }
    }

    // ---- DeleteRecords, ListOffsets by time, OffsetForLeaderEpoch ------------------------------

    @Test
    void deleteRecordsMovesTheLowWatermarkAndConsumersStartThere() throws Exception {
        createTopic("trimmed", 1, Map.of());
        TopicPartition tp = new TopicPartition("trimmed", 0);
        produce("trimmed", 0, 10, System.currentTimeMillis());

        long low = get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(4))).lowWatermarks().get(tp)).lowWatermark();
        assertThat(low).isEqualTo(4);
        assertThat(get(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)).offset()).isEqualTo(4);
        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<String, String>> records = poll(consumer, 6);
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        }

        assertThat(failure(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(50))).lowWatermarks().get(tp)))
            .isInstanceOf(OffsetOutOfRangeException.class);
        long all = get(admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(-1))).lowWatermarks().get(tp)).lowWatermark();
        assertThat(all).as("-1: up to the high watermark").isEqualTo(10);
    }

    @Test
    void consumerOffsetsForTimesFindsTheFirstRecordAtOrAfterATime() throws Exception {
        createTopic("timed", 1, Map.of());
        TopicPartition tp = new TopicPartition("timed", 0);
        long base = System.currentTimeMillis() - 60_000;
        produce("timed", 0, 5, base);   // timestamps base .. base + 4
        try (KafkaConsumer<String, String> consumer = consumer("earliest")) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(tp, base + 2), Duration.ofSeconds(WAIT_S));
            assertThat(found.get(tp).offset()).isEqualTo(2);
            assertThat(found.get(tp).timestamp()).isEqualTo(base + 2);
            assertThat(found.get(tp).leaderEpoch()).contains(0);
            assertThat(consumer.offsetsForTimes(Map.of(tp, base + 99_000), Duration.ofSeconds(WAIT_S)).get(tp)).isNull();
        }
    }

    @Test
    void consumerValidatesItsPositionWithOffsetForLeaderEpoch() throws Exception {
        createTopic("epochs", 1, Map.of());
        TopicPartition tp = new TopicPartition("epochs", 0);
        produce("epochs", 0, 5, System.currentTimeMillis());
        try (KafkaConsumer<String, String> consumer = consumer("none")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, new OffsetAndMetadata(2, Optional.of(0), ""));
            assertThat(poll(consumer, 3)).extracting(ConsumerRecord::offset).containsExactly(2L, 3L, 4L);
        }
        try (KafkaConsumer<String, String> consumer = consumer("none")) {
            consumer.assign(List.of(tp));
            consumer.seek(tp, new OffsetAndMetadata(8, Optional.of(0), ""));
            assertThatThrownBy(() -> poll(consumer, 1))
                .as("epoch 0 ends at offset 5: a position at 8 was truncated away").isInstanceOf(LogTruncationException.class);
        }
    }

    @Test
    void addedPartitionsChangedConfigsAndDeletedRecordsSurviveARestart(@TempDir Path otherDir) throws Exception {
        Map<String, String> settings = Map.of("log.dirs", otherDir.toString(), "listeners", "PLAINTEXT://127.0.0.1:0");
        TopicPartition tp = new TopicPartition("durable", 0);
        ConfigResource durable = new ConfigResource(ConfigResource.Type.TOPIC, "durable");
        try (BrokerServer first = BrokerServer.start(BrokerConfig.of(settings));
             Admin before = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + first.port()))) {
            get(before.createTopics(List.of(new NewTopic("durable", 1, (short) 1))).all());
            get(before.createPartitions(Map.of("durable", NewPartitions.increaseTo(2))).all());
            try (KafkaProducer<String, String> producer = producer("127.0.0.1:" + first.port())) {
                for (int i = 0; i < 10; i++) {
                    get(producer.send(new ProducerRecord<>("durable", 0, "k", "v" + i)));
                }
            }
            get(before.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(6))).all());
            get(before.incrementalAlterConfigs(Map.of(durable, List.of(
                new AlterConfigOp(new ConfigEntry("retention.ms", "777777"), AlterConfigOp.OpType.SET)))).all());
        }
        try (BrokerServer second = BrokerServer.start(BrokerConfig.of(settings));
             Admin after = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + second.port()))) {
            assertThat(get(after.describeTopics(List.of("durable")).allTopicNames()).get("durable").partitions()).hasSize(2);
            assertThat(get(after.listOffsets(Map.of(tp, OffsetSpec.earliest())).partitionResult(tp)).offset()).isEqualTo(6);
            assertThat(get(after.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp)).offset()).isEqualTo(10);
            ConfigEntry retention = get(after.describeConfigs(List.of(durable)).all()).get(durable).get("retention.ms");
            assertThat(retention.value()).isEqualTo("777777");
            assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        }
    }

    // ---- DescribeCluster, DescribeLogDirs, DescribeProducers -----------------------------------

    @Test
    void describesTheClusterWithThisBrokerAsController() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster();
        assertThat(get(cluster.clusterId())).isEqualTo(broker.clusterId());
        Node controller = get(cluster.controller());
        assertThat(controller.id()).isEqualTo(1);
        Collection<Node> nodes = get(cluster.nodes());
        assertThat(nodes).singleElement().satisfies(node -> {
            assertThat(node.id()).isEqualTo(1);
            assertThat(node.host()).isEqualTo("127.0.0.1");
            assertThat(node.port()).isEqualTo(broker.port());
        });
    }

    @Test
    void reportsTheOperationsKafkaDefinesOnTheClusterWhenAsked() throws Exception {
        DescribeClusterResult cluster = admin.describeCluster(new DescribeClusterOptions().includeAuthorizedOperations(true));
        assertThat(get(cluster.authorizedOperations())).containsExactlyInAnyOrder(AclOperation.CREATE, AclOperation.ALTER,
            AclOperation.DESCRIBE, AclOperation.CLUSTER_ACTION, AclOperation.DESCRIBE_CONFIGS, AclOperation.ALTER_CONFIGS,
            AclOperation.IDEMPOTENT_WRITE);
    }

    @Test
    void describesTheLogDirWithTheSizeOfEachPartition() throws Exception {
        createTopic("sized", 2, Map.of());
        produce("sized", 0, 20, System.currentTimeMillis());
        Map<String, LogDirDescription> dirs = get(admin.describeLogDirs(List.of(1)).allDescriptions()).get(1);
        assertThat(dirs).hasSize(1);
        LogDirDescription dir = dirs.values().iterator().next();
        assertThat(dir.error()).isNull();
        ReplicaInfo written = dir.replicaInfos().get(new TopicPartition("sized", 0));
        assertThat(written.size()).isPositive();
        assertThat(written.offsetLag()).isZero();
        assertThat(written.isFuture()).isFalse();
        assertThat(dir.replicaInfos().get(new TopicPartition("sized", 1)).size()).isZero();
        assertThat(dir.totalBytes().orElse(-1)).isPositive();
        assertThat(dir.usableBytes().orElse(-1)).isPositive().isLessThanOrEqualTo(dir.totalBytes().orElse(-1));
    }

    @Test
    void describesTheIdempotentProducerThatWroteToAPartition() throws Exception {
        createTopic("idempotent", 1, Map.of());
        TopicPartition tp = new TopicPartition("idempotent", 0);
        produce("idempotent", 0, 3, System.currentTimeMillis());
        List<ProducerState> producers = get(admin.describeProducers(List.of(tp)).partitionResult(tp)).activeProducers();
        assertThat(producers).singleElement().satisfies(producer -> {
            assertThat(producer.producerId()).isNotNegative();
            assertThat(producer.producerEpoch()).isZero();
            assertThat(producer.lastSequence()).isEqualTo(2);
            assertThat(producer.lastTimestamp()).isPositive();
            assertThat(producer.currentTransactionStartOffset()).isEmpty();
        });
    }
}
