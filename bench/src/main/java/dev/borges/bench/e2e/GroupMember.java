package dev.borges.bench.e2e;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * One member of a consumer group, polling on a thread of its own (a {@code KafkaConsumer} belongs to
 * one thread): {@link #start()} subscribes to the topic and polls until {@link #close()}, handing
 * every batch of records to a callback on that thread and reporting its rebalance callbacks to
 * {@link GroupAssignments}. The consumer is made before {@link #start()} (its construction is not
 * the broker's work) and closed on its own thread, which sends LeaveGroup (and, with auto-commit,
 * commits first).
 *
 * <p>Lifecycle: new → {@link #start()} → {@link #close()}; the {@code start} and {@code close}
 * calls come from one workload thread.
 */
final class GroupMember implements AutoCloseable {

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final String topic;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final GroupAssignments assignments;
    private final Duration pollTimeout;
    private final Consumer<ConsumerRecords<byte[], byte[]>> onRecords;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile long subscribedNanos;
    private volatile RuntimeException failure;

    GroupMember(String name, String bootstrap, String groupId, String topic, GroupAssignments assignments, Duration pollTimeout,
                Consumer<ConsumerRecords<byte[], byte[]>> onRecords) {
        this.name = name;
        this.topic = topic;
        this.consumer = Clients.groupConsumer(bootstrap, groupId);
        this.assignments = assignments;
        this.pollTimeout = pollTimeout;
        this.onRecords = onRecords;
        this.thread = new Thread(this::pollUntilClosed, "group-member-" + name);
        this.thread.setDaemon(true);
    }

    String name() {
        return name;
    }

    /** Starts polling; {@link #subscribedNanos()} is set on the member's thread just before it subscribes. */
    void start() {
        thread.start();
    }

    /** {@link System#nanoTime()} just before the member subscribed and first polled; 0 before that. */
    long subscribedNanos() {
        return subscribedNanos;
    }

    /** What ended the member's polling other than {@link #close()}, or null. */
    RuntimeException failure() {
        return failure;
    }

    /**
     * Stops polling (after the current poll, so within the poll timeout), then closes the consumer
     * on its thread (leaving the group) and waits for that.
     */
    @Override
    public void close() throws InterruptedException {
        stopping = true;
        if (thread.getState() == Thread.State.NEW) {
            consumer.close();
        } else {
            thread.join(CLOSE_TIMEOUT.toMillis() * 2);
        }
    }

    private void pollUntilClosed() {
        try {
            subscribedNanos = System.nanoTime();
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assignments.revoked(name, partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    assignments.assigned(name, partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    assignments.revoked(name, partitions);
                }
            });
            while (!stopping) {
                onRecords.accept(consumer.poll(pollTimeout));
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            try {
                consumer.close(CLOSE_TIMEOUT);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
            assignments.left(name);
        }
    }
}
