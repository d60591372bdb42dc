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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafkajs 2.2.4 (Node.js) against a real broker: its admin client creates a topic and lists it,
 * its idempotent producer writes keyed records with headers, plain and gzipped; the Java consumer
 * then checks every record arrived intact. ({@code src/test/kafkajs}; {@code bin/test} runs
 * {@code npm ci} there.) kafkajs consumes only through consumer groups, which the broker does not
 * serve yet.
 */
class KafkajsIT {
    private static final Path SCRIPT_DIR = Path.of("src/test/kafkajs");

    @TempDir
    Path dataDir;

    private BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of("log.dirs", dataDir.toString(), "listeners", "PLAINTEXT://127.0.0.1:0")));
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
}
