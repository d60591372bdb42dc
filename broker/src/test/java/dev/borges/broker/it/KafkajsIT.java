package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafkajs 2.2.4 (Node.js) against a real broker: its admin client creates a topic and lists it,
 * its idempotent producer writes keyed records with headers, plain and gzipped; the Java consumer
 * then checks every record arrived intact. Two kafkajs consumers in one group (kafkajs speaks the
 * classic protocol at its own, older API versions) share a topic, consume every record exactly
 * once, commit, and a later run resumes from the committed offsets. Its transactional producer
 * commits and aborts transactions that a {@code read_committed} Java consumer then sees whole or
 * not at all. ({@code src/test/kafkajs};
 * {@code bin/test} runs {@code npm ci} there.)
 */
class KafkajsIT {
    private static final Path SCRIPT_DIR = Path.of("src/test/kafkajs");

    @TempDir
    Path dataDir;

    private BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of("log.dirs", dataDir.toString(), "listeners", "PLAINTEXT://127.0.0.1:0",
            "group.initial.rebalance.delay.ms", "0")));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void kafkajsCreatesATopicAndProducesRecordsThatArriveIntact() throws Exception {
        String bootstrap = "127.0.0.1:" + broker.port();
        Process node = new ProcessBuilder("node", "produce.js", bootstrap, "from-node").directory(SCRIPT_DIR.toFile())
            .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("kafkajs output: %s", output).isZero();
        assertThat(output).contains("\"created\":true").contains("from-node");

        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("from-node", 0), new TopicPartition("from-node", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> records = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (records.size() < 20 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            List<ConsumerRecord<String, String>> plain = records.stream().filter(r -> r.partition() == 0).toList();
            List<ConsumerRecord<String, String>> gzipped = records.stream().filter(r -> r.partition() == 1).toList();
            assertThat(plain).extracting(r -> r.key() + "=" + r.value() + ";n=" + new String(r.headers().lastHeader("n").value(),
                StandardCharsets.UTF_8)).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 10)
                .mapToObj(i -> "key-" + i + "=value-" + i + ";n=" + i).toList());
            assertThat(gzipped).extracting(r -> r.key() + "=" + r.value()).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 10).mapToObj(i -> "gz-" + i + "=gzipped-" + i).toList());
        }
    }

    @Test
    void kafkajsConsumerGroupSharesATopicAndResumesFromCommittedOffsets() throws Exception {
        String bootstrap = "127.0.0.1:" + broker.port();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("shared", 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        produce(bootstrap, 0, 40);
        List<String> first = consumeWithKafkajs(bootstrap, 40);
        List<String> values = first.stream().filter(line -> line.startsWith("record ")).map(line -> line.split(" ")[2]).toList();
        assertThat(values).as("every record once").containsExactlyInAnyOrderElementsOf(
            java.util.stream.IntStream.range(0, 40).mapToObj(i -> "r" + i).toList());
        assertThat(first).anySatisfy(line -> assertThat(line).startsWith("member "));

        produce(bootstrap, 40, 10);
        List<String> second = consumeWithKafkajs(bootstrap, 10);
        assertThat(second.stream().filter(line -> line.startsWith("record ")).map(line -> line.split(" ")[2]).toList())
            .as("the second run starts at the committed offsets").containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(40, 50).mapToObj(i -> "r" + i).toList());
    }

    @Test
    void kafkajsTransactionsAreCommittedAndAbortedWhole() throws Exception {
        String bootstrap = "127.0.0.1:" + broker.port();
        Process node = new ProcessBuilder("node", "transactional.js", bootstrap, "txn-from-node").directory(SCRIPT_DIR.toFile())
            .redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("kafkajs output: %s", output).isZero();
        assertThat(output).contains("first:committed", "dropped:aborted", "second:committed");

        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("isolation.level", "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition("txn-from-node", 0), new TopicPartition("txn-from-node", 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read to the end; got %s", values).isLessThan(deadline);
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.partition() + ":" + r.value()));
            }
            assertThat(values).containsExactlyInAnyOrder("0:first-0", "0:first-2", "1:first-1", "0:second-0", "0:second-2",
                "1:second-1");
            assertThat(values.stream().filter(v -> v.startsWith("0:")).toList()).containsExactly("0:first-0", "0:first-2",
                "0:second-0", "0:second-2");
        }
    }

    private static void produce(String bootstrap, int from, int count) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>("shared", i % 2, "k" + i, "r" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static List<String> consumeWithKafkajs(String bootstrap, int expected) throws Exception {
        Process node = new ProcessBuilder("node", "consume-group.js", bootstrap, "shared", "kafkajs-group", Integer.toString(expected), "2")
            .directory(SCRIPT_DIR.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(node.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("kafkajs output: %s", output).isZero();
        return output.lines().toList();
    }
}
