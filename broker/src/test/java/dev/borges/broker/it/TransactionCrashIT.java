package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process killed with SIGKILL while a transactional producer commits transaction after
 * transaction across three partitions. After a restart on the same data, a {@code read_committed}
 * consumer sees every transaction whole or not at all, each record once, in order; and every
 * transaction whose commit the producer saw acknowledged is there.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionCrashIT {
    private static final String TOPIC = "transfers";
    private static final int PARTITIONS = 3;
    private static final int RECORDS_PER_TRANSACTION = 9;

    @TempDir
    Path dataDir;

    private Process broker;
    private int port;

    @AfterEach
    void stop() throws InterruptedException {
        if (broker != null) {
            broker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyTransactionIsAllOrNothingAfterAKill9() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        startBroker();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }

        Set<Integer> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> writeTransactions(acknowledged, stop), "transactional-writer");
        writer.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < 40) {
            assertThat(System.nanoTime()).as("40 transactions committed before the kill").isLessThan(deadline);
            Thread.sleep(20);
        }
        broker.destroyForcibly(); // SIGKILL, in the middle of a transaction or a commit
        assertThat(broker.waitFor(30, TimeUnit.SECONDS)).isTrue();
        stop.set(true);
        writer.join(60_000);

        startBroker();
        // The same transactional id again: any transaction the kill left open is aborted first.
        try (KafkaProducer<String, String> producer = producer()) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int p = 0; p < PARTITIONS; p++) {
                producer.send(new ProducerRecord<>(TOPIC, p, null, "end-" + p));
            }
            producer.commitTransaction();
        }

        Map<Integer, List<String>> read = readCommittedUntilEnd();
        Map<Integer, List<String>> byTransaction = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> partition : read.entrySet()) {
            List<String> values = partition.getValue();
            assertThat(values).as("partition " + partition.getKey() + " ends with the last transaction").endsWith("end-" + partition.getKey());
            assertThat(values).as("no duplicates").doesNotHaveDuplicates();
            List<Integer> order = new ArrayList<>();
            for (String value : values.subList(0, values.size() - 1)) {
                int transaction = Integer.parseInt(value.substring(1, value.indexOf('-')));
                order.add(transaction);
                byTransaction.computeIfAbsent(transaction, t -> new ArrayList<>()).add(value);
            }
            List<Integer> sorted = new ArrayList<>(order);
            Collections.sort(sorted);
            assertThat(order).as("transactions in commit order on partition " + partition.getKey()).isEqualTo(sorted);
        }
        for (Map.Entry<Integer, List<String>> transaction : byTransaction.entrySet()) {
            assertThat(transaction.getValue()).as("transaction " + transaction.getKey() + " whole")
                .containsExactlyInAnyOrderElementsOf(expected(transaction.getKey()));
        }
        assertThat(byTransaction.keySet()).as("every acknowledged commit survived").containsAll(acknowledged);
    }

    private static List<String> expected(int transaction) {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) {
            values.add("t" + transaction + "-" + i);
        }
        return values;
    }

    private void writeTransactions(Set<Integer> acknowledged, AtomicBoolean stop) {
        KafkaProducer<String, String> producer = producer();
        try {
            producer.initTransactions();
            for (int transaction = 0; !stop.get(); transaction++) {
                producer.beginTransaction();
                List<String> values = expected(transaction);
                for (int i = 0; i < values.size(); i++) {
                    producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, values.get(i)));
                }
                producer.commitTransaction();
                acknowledged.add(transaction);
            }
        } catch (RuntimeException expected) {
            // The broker died under the producer.
        } finally {
            producer.close(Duration.ZERO); // nothing left to deliver: the broker is gone
        }
    }

    private Map<Integer, List<String>> readCommittedUntilEnd() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        Map<Integer, List<String>> values = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(TOPIC, p));
                values.put(p, new ArrayList<>());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (values.entrySet().stream().anyMatch(e -> !e.getValue().contains("end-" + e.getKey()))) {
                assertThat(System.nanoTime()).as("read every partition to its last transaction; got " + values).isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.get(record.partition()).add(record.value());
                }
            }
        }
        return values;
    }

    private void startBroker() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
            "dev.borges.broker.server.BorgesServer",
            "--override", "log.dirs=" + dataDir.resolve("data"),
            "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
            "--override", "transaction.state.log.num.partitions=3",
            "--override", "offsets.topic.num.partitions=3");
        Path log = dataDir.resolve("broker-" + System.nanoTime() + ".log");
        broker = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            assertThat(broker.isAlive()).as("broker running; log:\n" + (Files.exists(log) ? Files.readString(log) : "")).isTrue();
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("broker listening on " + port).isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(props);
    }

    private KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "transfers-writer");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
