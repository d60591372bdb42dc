package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.partition.Partition;
import dev.borges.broker.server.BrokerServer;
import dev.borges.protocol.Errors;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.StorageException;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kafka-clients consumers with {@code isolation.level=read_committed} and {@code read_uncommitted}
 * against a broker whose partition holds transactions. Until the transaction coordinator exists,
 * the transactional batches are appended in-process through the partition (as the Produce handler
 * would) and the markers written through the broker's marker writer (as the coordinator will).
 */
class ReadCommittedIT {
    private static final String TOPIC = "ledger";
    private static final long A = 71L;
    private static final long B = 72L;
    private static final long C = 73L;
    private static final dev.borges.storage.TopicPartition PARTITION = new dev.borges.storage.TopicPartition(TOPIC, 0);

    @TempDir
    Path dataDir;

    private BrokerServer broker;
    private final Map<Long, Integer> sequences = new HashMap<>();

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0")));
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (Admin admin = Admin.create(props)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    private Partition partition() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return broker.partitions().leader(PARTITION);
            } catch (StorageException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private void transactional(long producerId, String... values) throws InterruptedException {
        int sequence = sequences.getOrDefault(producerId, 0);
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(producerId, (short) 0, sequence).transactional(true);
        for (String value : values) {
            builder.append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8));
        }
        partition().appendAsLeader(builder.build(), (short) -1);
        sequences.put(producerId, sequence + values.length);
    }

    private void plain(String value) throws InterruptedException {
        MemoryRecords records = new RecordBatchBuilder(0L).append(System.currentTimeMillis(), null, value.getBytes(StandardCharsets.UTF_8))
            .build();
        partition().appendAsLeader(records, (short) -1);
    }

    private void end(long producerId, boolean commit) {
        assertThat(broker.txnMarkers().write(PARTITION, producerId, (short) 0, 0, commit).error()).isEqualTo(Errors.NONE);
    }

    private KafkaConsumer<String, String> consumer(String isolation) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer.assign(List.of(new TopicPartition(TOPIC, 0)));
        consumer.seekToBeginning(List.of(new TopicPartition(TOPIC, 0)));
        return consumer;
    }

    /** Polls until the consumer's position reaches {@code position}, returning the values it got. */
    private static List<String> pollUntil(KafkaConsumer<String, String> consumer, long position) {
        List<String> values = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        while (consumer.position(tp) < position) {
            assertThat(System.nanoTime()).as("position " + consumer.position(tp) + " reaches " + position + "; got " + values)
                .isLessThan(deadline);
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        return values;
    }

    @Test
    void aReadCommittedConsumerSkipsAbortedRecordsAndStopsAtTheLastStableOffset() throws Exception {
        plain("p0");                    // 0
        transactional(A, "a1", "a2");   // 1-2
        transactional(B, "b3");         // 3
        plain("p4");                    // 4
        end(A, false);                  // 5 ABORT
        end(B, true);                   // 6 COMMIT
        transactional(C, "c7");         // 7: open
        plain("p8");                    // 8
        TopicPartition tp = new TopicPartition(TOPIC, 0);

        try (KafkaConsumer<String, String> committed = consumer("read_committed");
             KafkaConsumer<String, String> uncommitted = consumer("read_uncommitted")) {
            assertThat(committed.endOffsets(List.of(tp))).containsEntry(tp, 7L);
            assertThat(uncommitted.endOffsets(List.of(tp))).containsEntry(tp, 9L);

            assertThat(pollUntil(committed, 7)).containsExactly("p0", "b3", "p4");
            assertThat(committed.poll(Duration.ofMillis(300))).as("nothing past the open transaction").isEmpty();
            assertThat(committed.position(tp)).isEqualTo(7);

            assertThat(pollUntil(uncommitted, 9)).containsExactly("p0", "a1", "a2", "b3", "p4", "c7", "p8");

            end(C, true);               // 9 COMMIT
            assertThat(pollUntil(committed, 10)).containsExactly("c7", "p8");
            assertThat(committed.endOffsets(List.of(tp))).containsEntry(tp, 10L);
        }
    }

    @Test
    void anAbortedTransactionStaysHiddenAfterARestart() throws Exception {
        transactional(A, "a0", "a1");
        plain("p2");
        end(A, false);
        transactional(B, "b4");
        broker.close();
        broker = BrokerServer.start(BrokerConfig.of(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0")));

        try (KafkaConsumer<String, String> committed = consumer("read_committed")) {
            assertThat(pollUntil(committed, 4)).as("B's transaction is still open after the restart").containsExactly("p2");
            end(B, false);
            List<String> rest = pollUntil(committed, 6);
            assertThat(rest).isEmpty();
        }
    }
}
