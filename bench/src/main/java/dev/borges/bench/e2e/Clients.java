package dev.borges.bench.e2e;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The kafka-clients the workloads use, configured the same for both brokers: client defaults unless
 * a workload says otherwise. Plain consumers are assigned partitions (no group), so the fetch path
 * is measured without the group protocol; group members ({@link #groupConsumer}) use the classic
 * protocol with the client's default assignors and a short heartbeat interval.
 */
final class Clients {

    private Clients() {
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>(overrides);
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer assigned every partition of {@code topic} from its start. */
    static KafkaConsumer<byte[], byte[]> consumerFromStart(String bootstrap, String topic, int partitions) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> assignment = IntStream.range(0, partitions).mapToObj(p -> new TopicPartition(topic, p)).toList();
        consumer.assign(assignment);
        consumer.seekToBeginning(assignment);
        return consumer;
    }

    /**
     * The heartbeat interval of every group member, for both brokers. Members already in a group
     * learn of a rebalance from a heartbeat answer, so the client's default (3 s) would make
     * rebalance times mostly a wait for the next heartbeat; at 100 ms the brokers' own part shows.
     */
    static final int GROUP_HEARTBEAT_INTERVAL_MS = 100;

    /**
     * A consumer that joins group {@code groupId} when it subscribes: classic group protocol (the
     * client's default, said explicitly), default assignors ({@code range} then
     * {@code cooperative-sticky}: every member prefers range, so the group rebalances eagerly),
     * auto-commit on (default: every 5 s, on rebalance and on close), reading from the earliest
     * offset when the group has none committed, heartbeats every {@link #GROUP_HEARTBEAT_INTERVAL_MS}.
     */
    static KafkaConsumer<byte[], byte[]> groupConsumer(String bootstrap, String groupId) {
        return new KafkaConsumer<>(Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG, groupId,
            ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, GROUP_HEARTBEAT_INTERVAL_MS), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /**
     * Waits until the coordinator of {@code groupId} answers for it: an OffsetFetch for the group
     * (through {@code Admin.listConsumerGroupOffsets}, after FindCoordinator) succeeds. The first
     * such lookup on a broker creates {@code __consumer_offsets}, and a coordinator answers only once
     * it has loaded the group's partition of it; both are one-time costs a group workload should not
     * measure. The same probe for both brokers.
     */
    static void awaitGroupCoordinator(String bootstrap, String groupId) throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            while (true) {
                try {
                    admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
                    return;
                } catch (ExecutionException e) {
                    // Coordinator not available or still loading, past the client's own retries: ask again.
                }
                Thread.sleep(20);
            }
        }
    }

    /**
     * Creates a topic (replication factor 1) and waits until every partition has a leader in
     * metadata and that leader answers for it: a ListOffsets for every partition succeeds.
     *
     * <p>A leader in metadata is not enough. Apache Kafka 4.4 publishes a new topic's leaders to
     * its metadata cache before its replica manager has created the partitions (with 1,000
     * partitions, seconds before); a produce in that window fails with a retriable error, and an
     * idempotent producer whose first batch to a partition failed while its next ones succeeded
     * retries that batch into {@code OutOfOrderSequenceException} until {@code delivery.timeout.ms}
     * expires it. ListOffsets is answered by the same partition state that takes appends, so both
     * brokers are probed the same way, and no producer setting changes.
     */
    static void createTopic(String bootstrap, String topic, int partitions) throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            awaitLeaders(admin, topic, partitions);
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, partitions).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            while (true) {
                try {
                    admin.listOffsets(latest).all().get();
                    return;
                } catch (ExecutionException e) {
                    // A partition not ready yet, past the client's own retries: ask again.
                }
                Thread.sleep(20);
            }
        }
    }

    private static void awaitLeaders(Admin admin, String topic, int partitions) throws InterruptedException {
        while (true) {
            try {
                TopicDescription description = admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic);
                Set<Integer> led = description.partitions().stream().filter(p -> p.leader() != null)
                    .map(p -> p.partition()).collect(Collectors.toSet());
                if (led.size() == partitions) {
                    return;
                }
            } catch (ExecutionException e) {
                // Not visible in metadata yet.
            }
            Thread.sleep(20);
        }
    }

    /**
     * Random upper-case letters, as Kafka's {@code ProducerPerformance} makes them: lz4 shrinks them
     * somewhat (5 bits of entropy per byte), as it would text.
     */
    static byte[] payload(int size) {
        byte[] bytes = new byte[size];
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ('A' + random.nextInt(26));
        }
        return bytes;
    }
}
