package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * One consumer of a group on its own thread, as an application runs it: subscribes to a topic,
 * polls, remembers every record it got per partition, and commits synchronously after each poll
 * that returned records. The group ITs start several and watch their assignments.
 *
 * <p>Threading: the consumer is used by its own thread only; the other methods may be called
 * from the test thread.
 */
final class GroupMember {
    private final KafkaConsumer<String, String> consumer;
    private final String topic;
    private final Thread thread;
    private final Map<TopicPartition, List<String>> received = new ConcurrentHashMap<>();
    private final AtomicInteger revocations = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private volatile Set<TopicPartition> assignment = Set.of();
    private volatile boolean running = true;
    private volatile CloseOptions closeOptions = CloseOptions.timeout(Duration.ofSeconds(5));

    /** @param config consumer settings on top of: bootstrap, group, earliest, no auto-commit */
    GroupMember(String bootstrap, String topic, String group, Map<String, String> config) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putAll(config);
        this.topic = topic;
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        thread = new Thread(this::run, "member-" + group);
    }

    GroupMember start() {
        thread.start();
        return this;
    }

    private void run() {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    revocations.incrementAndGet();
                }
                assignment = Set.copyOf(consumer.assignment());
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                assignment = Set.copyOf(consumer.assignment());
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                assignment = Set.copyOf(consumer.assignment());
            }
        });
        try {
            while (running) {
                var records = consumer.poll(Duration.ofMillis(100));
                for (ConsumerRecord<String, String> record : records) {
                    received.computeIfAbsent(new TopicPartition(record.topic(), record.partition()), p -> new CopyOnWriteArrayList<>())
                        .add(record.value());
                }
                if (!records.isEmpty()) {
                    try {
                        consumer.commitSync(Duration.ofSeconds(10));
                    } catch (RuntimeException e) {
                        // A commit refused during a rebalance or a broker restart: the records come again.
                    }
                }
                assignment = Set.copyOf(consumer.assignment());
            }
        } catch (WakeupException e) {
            // stopping
        } catch (RuntimeException e) {
            failure.set(e); // a fatal group error: the test asks for it
        } finally {
            consumer.close(closeOptions);
        }
    }

    Set<TopicPartition> assignment() {
        return assignment;
    }

    List<String> values() {
        return received.values().stream().flatMap(List::stream).toList();
    }

    List<String> valuesOf(TopicPartition partition) {
        return received.getOrDefault(partition, List.of());
    }

    /** How many times partitions were taken from this member. */
    int revocations() {
        return revocations.get();
    }

    /** The exception that stopped the poll loop, if any. */
    RuntimeException failure() {
        return failure.get();
    }

    // ---- what the group ITs check -------------------------------------------------------------

    /** The members own every partition, each partition exactly once, and none owns nothing. */
    static boolean splitExactly(Collection<GroupMember> group, int partitions) {
        List<TopicPartition> owned = group.stream().flatMap(m -> m.assignment().stream()).toList();
        return owned.size() == partitions && new HashSet<>(owned).size() == partitions
            && group.stream().noneMatch(m -> m.assignment().isEmpty());
    }

    /** Each member got each of its partitions' records in offset order ({@code v3} before {@code v9}). */
    static void assertEachPartitionInOrder(Collection<GroupMember> group) {
        for (GroupMember member : group) {
            for (TopicPartition partition : member.assignment()) {
                assertThat(member.valuesOf(partition)).as("per-partition order of %s", partition).isSortedAccordingTo(
                    (a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
            }
        }
    }

    /** Every value the members received, duplicates included. */
    static List<String> consumed(Collection<GroupMember> group) {
        return group.stream().flatMap(m -> m.values().stream()).toList();
    }

    /** Polls {@code condition} until it holds, for at most a minute. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    /** Closes normally: a dynamic member leaves the group (a static one leaves for now). */
    void leave() throws InterruptedException {
        running = false;
        thread.join(30_000);
    }

    /** Closes without leaving the group, as a process that died would. */
    void crash() throws InterruptedException {
        closeOptions = CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP)
            .withTimeout(Duration.ofSeconds(5));
        running = false;
        thread.join(30_000);
    }

    void stop() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
