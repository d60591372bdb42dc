package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactional kafka-clients producers against one broker: the transaction coordinator, the
 * markers, and what {@code read_committed} and {@code read_uncommitted} consumers see.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TransactionsIT {
    private static final String TOPIC = "payments";

    @TempDir
    Path dataDir;

    private BrokerServer broker;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        startBroker();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private void startBroker() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0",
            "transaction.state.log.num.partitions", "3",
            "offsets.topic.num.partitions", "3",
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "200")));
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(props);
    }

    private KafkaProducer<String, String> producer(String transactionalId, int timeoutMs) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, timeoutMs);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        clients.add(producer);
        return producer;
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        return producer(transactionalId, 60_000);
    }

    private KafkaConsumer<String, String> consumer(String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        clients.add(consumer);
        List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Every value a fresh consumer reads up to the partitions' end (as that isolation level sees it), per partition in order. */
    private Map<Integer, List<String>> readAll(String isolation) {
        KafkaConsumer<String, String> consumer = consumer(isolation);
        List<TopicPartition> partitions = List.of(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<Integer, List<String>> values = new HashMap<>();
        values.put(0, new ArrayList<>());
        values.put(1, new ArrayList<>());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            assertThat(System.nanoTime()).as("reached the end " + end + "; got " + values).isLessThan(deadline);
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                values.get(record.partition()).add(record.value());
            }
        }
        return values;
    }

    private static void send(KafkaProducer<String, String> producer, int partition, String... values) {
        for (String value : values) {
            producer.send(new ProducerRecord<>(TOPIC, partition, null, value));
        }
    }

    private static String[] values(String prefix, int count) {
        String[] values = new String[count];
        for (int i = 0; i < count; i++) {
            values[i] = prefix + i;
        }
        return values;
    }

    @Test
    void committedTransactionsAreVisibleToReadCommittedAndAbortedOnesAreNot() {
        KafkaProducer<String, String> producer = producer("ledger-writer");
        producer.initTransactions();

        producer.beginTransaction();
        send(producer, 0, values("a", 5));
        send(producer, 1, values("A", 3));
        producer.commitTransaction();

        producer.beginTransaction();
        send(producer, 0, values("b", 4));
        send(producer, 1, values("B", 2));
        producer.flush();
        producer.abortTransaction();

        producer.beginTransaction();
        send(producer, 1, values("c", 3));
        producer.commitTransaction();

        Map<Integer, List<String>> committed = readAll("read_committed");
        assertThat(committed.get(0)).containsExactly("a0", "a1", "a2", "a3", "a4");
        assertThat(committed.get(1)).containsExactly("A0", "A1", "A2", "c0", "c1", "c2");

        Map<Integer, List<String>> uncommitted = readAll("read_uncommitted");
        assertThat(uncommitted.get(0)).containsExactly("a0", "a1", "a2", "a3", "a4", "b0", "b1", "b2", "b3");
        assertThat(uncommitted.get(1)).containsExactly("A0", "A1", "A2", "B0", "B1", "c0", "c1", "c2");
    }

    @Test
    void aSecondProducerWithTheSameTransactionalIdFencesTheFirst() {
        KafkaProducer<String, String> zombie = producer("fenced-writer");
        zombie.initTransactions();
        zombie.beginTransaction();
        send(zombie, 0, values("zombie", 3));
        zombie.flush();

        KafkaProducer<String, String> successor = producer("fenced-writer");
        successor.initTransactions(); // aborts the zombie's open transaction and bumps the epoch

        assertThatThrownBy(() -> {
            send(zombie, 1, "late");
            zombie.commitTransaction();
        }).isInstanceOfAny(ProducerFencedException.class, InvalidProducerEpochException.class, KafkaException.class)
            .satisfies(e -> assertThat(fenced(e)).as("fenced: " + e).isTrue());

        successor.beginTransaction();
        send(successor, 0, values("next", 2));
        successor.commitTransaction();

        Map<Integer, List<String>> committed = readAll("read_committed");
        assertThat(committed.get(0)).containsExactly("next0", "next1");
        assertThat(committed.get(1)).isEmpty();
    }

    private static boolean fenced(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aTransactionOlderThanItsTimeoutIsAbortedByTheCoordinator() throws Exception {
        KafkaProducer<String, String> slow = producer("slow-writer", 1000);
        slow.initTransactions();
        slow.beginTransaction();
        send(slow, 0, values("slow", 3));
        slow.flush();
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String state;
            do {
                assertThat(System.nanoTime()).as("the coordinator aborts the transaction").isLessThan(deadline);
                Thread.sleep(100);
                TransactionDescription description = admin.describeTransactions(List.of("slow-writer")).description("slow-writer")
                    .get(10, TimeUnit.SECONDS);
                state = description.state().toString();
            } while (!state.equalsIgnoreCase("CompleteAbort"));
        }
        assertThatThrownBy(slow::commitTransaction).satisfies(e -> assertThat(fenced(e)).as("fenced: " + e).isTrue());

        KafkaProducer<String, String> next = producer("other-writer");
        next.initTransactions();
        next.beginTransaction();
        send(next, 0, "after");
        next.commitTransaction();
        assertThat(readAll("read_committed").get(0)).containsExactly("after");
        assertThat(readAll("read_uncommitted").get(0)).containsExactly("slow0", "slow1", "slow2", "after");
    }

    @Test
    void anOpenTransactionIsAbortedWhenItsProducerComesBackAfterABrokerRestart() throws Exception {
        KafkaProducer<String, String> producer = producer("restarted-writer");
        producer.initTransactions();
        producer.beginTransaction();
        send(producer, 0, values("kept", 3));
        send(producer, 1, values("kept", 2));
        producer.commitTransaction();
        producer.beginTransaction();
        send(producer, 0, values("lost", 3));
        send(producer, 1, values("lost", 2));
        producer.flush();
        producer.close(Duration.ZERO);
        clients.remove(producer);

        broker.close();
        startBroker();

        KafkaProducer<String, String> again = producer("restarted-writer");
        again.initTransactions(); // the open transaction is aborted first
        again.beginTransaction();
        send(again, 1, "fresh");
        again.commitTransaction();

        Map<Integer, List<String>> committed = readAll("read_committed");
        assertThat(committed.get(0)).containsExactly("kept0", "kept1", "kept2");
        assertThat(committed.get(1)).containsExactly("kept0", "kept1", "fresh");
    }

    @Test
    void adminClientsDescribeAndListTransactions() throws Exception {
        KafkaProducer<String, String> producer = producer("described-writer");
        producer.initTransactions();
        producer.beginTransaction();
        send(producer, 1, "open");
        producer.flush();
        try (Admin admin = admin()) {
            TransactionDescription description = admin.describeTransactions(List.of("described-writer")).description("described-writer")
                .get(10, TimeUnit.SECONDS);
            assertThat(description.state().toString()).isEqualToIgnoringCase("Ongoing");
            assertThat(description.topicPartitions()).containsExactly(new TopicPartition(TOPIC, 1));
            assertThat(description.transactionTimeoutMs()).isEqualTo(60_000);

            List<String> listed = admin.listTransactions().all().get(10, TimeUnit.SECONDS).stream()
                .map(TransactionListing::transactionalId).toList();
            assertThat(listed).contains("described-writer");

            assertThatThrownBy(() -> admin.describeTransactions(List.of("nobody")).description("nobody").get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(org.apache.kafka.common.errors.TransactionalIdNotFoundException.class);
        }
        producer.commitTransaction();
        assertThat(readAll("read_committed").get(1)).containsExactly("open");
    }
}
