package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.net.ServerSocket;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
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
 * The read-process-write loop every exactly-once pipeline runs: a consumer in a group reads the
 * input, a transactional producer writes the output and commits the consumer's offsets in the same
 * transaction ({@code sendOffsetsToTransaction}). The broker restarts in the middle; the
 * application does what Kafka asks of it on an error (close both clients, start again with the
 * same {@code transactional.id}), and a {@code read_committed} reader of the output finds every
 * input record exactly once.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ExactlyOnceIT {
    private static final String INPUT = "orders";
    private static final String OUTPUT = "invoices";
    private static final String GROUP = "invoicing";
    private static final int PARTITIONS = 3;
    private static final int RECORDS = 6000;

    @TempDir
    Path dataDir;

    private int port;
    private volatile BrokerServer broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void readProcessWriteOutputsEveryInputRecordExactlyOnceAcrossABrokerRestart() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // fixed across the restart, so clients find the broker again
        }
        startBroker();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(INPUT, PARTITIONS, (short) 1), new NewTopic(OUTPUT, PARTITIONS, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        }
        writeInput();

        Pipeline pipeline = new Pipeline();
        Thread worker = new Thread(pipeline, "read-process-write");
        worker.start();
        try {
            long committedAtRestart = awaitCommitted(RECORDS / 4);
            assertThat(committedAtRestart).as("the broker restarts while the pipeline is still working").isLessThan(RECORDS);
            broker.close();
            startBroker();
            awaitCommitted(RECORDS);
        } finally {
            pipeline.stop = true;
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < RECORDS; i++) {
            expected.add("invoice-" + i);
        }
        List<String> output = readCommittedOutput();
        assertThat(output).as("every input record once, none lost, none duplicated").hasSize(RECORDS);
        assertThat(output).containsExactlyInAnyOrderElementsOf(expected);
    }

    private void startBroker() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:" + port,
            "transaction.state.log.num.partitions", "3",
            "offsets.topic.num.partitions", "3")));
    }

    private String bootstrap() {
        return "127.0.0.1:" + port;
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(props);
    }

    private void writeInput() throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(INPUT, "order-" + i, "order-" + i));
            }
            producer.flush();
        }
    }

    /** Waits until the group has committed offsets covering at least {@code records} input records; returns how many. */
    private long awaitCommitted(long records) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        long committed = 0;
        try (Admin admin = admin()) {
            while (committed < records) {
                assertThat(System.nanoTime()).as("group committed " + committed + " of " + records).isLessThan(deadline);
                Thread.sleep(20);
                try {
                    committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS)
                        .values().stream().mapToLong(OffsetAndMetadata::offset).sum();
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // the broker is restarting or the group is loading: ask again
                }
            }
        }
        return committed;
    }

    private List<String> readCommittedOutput() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(OUTPUT, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                assertThat(System.nanoTime()).as("read the output up to " + end).isLessThan(deadline);
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    /**
     * The application: consume, transform, produce and commit offsets in one transaction; on any
     * error, close both clients and start over with the same transactional id, which fences the old
     * producer and aborts whatever it left open.
     */
    private final class Pipeline implements Runnable {
        volatile boolean stop;

        @Override
        public void run() {
            while (!stop) {
                KafkaConsumer<String, String> consumer = null;
                KafkaProducer<String, String> producer = null;
                try {
                    consumer = consumer();
                    producer = producer();
                    producer.initTransactions();
                    consumer.subscribe(List.of(INPUT));
                    while (!stop) {
                        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                        if (!records.isEmpty()) {
                            process(records, consumer, producer);
                        }
                    }
                } catch (RuntimeException e) {
                    // the broker went away under us: start over, as an application would
                } finally {
                    if (producer != null) {
                        producer.close(Duration.ofSeconds(5));
                    }
                    if (consumer != null) {
                        consumer.close(Duration.ofSeconds(5));
                    }
                }
            }
        }

        private void process(ConsumerRecords<String, String> records, KafkaConsumer<String, String> consumer,
                             KafkaProducer<String, String> producer) {
            producer.beginTransaction();
            Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                producer.send(new ProducerRecord<>(OUTPUT, record.key(), record.value().replace("order-", "invoice-")));
                next.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
            producer.commitTransaction();
        }

        private KafkaConsumer<String, String> consumer() {
            Properties props = new Properties();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            props.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
            return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        }

        private KafkaProducer<String, String> producer() {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "invoicing-0");
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
            props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
            return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        }
    }
}
