package dev.borges.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * {@code group consume}: {@code members} consumers in one new group (see
 * {@link Clients#groupConsumer}: classic protocol, default assignors, auto-commit) subscribe at
 * the same moment to a topic written before and read it from the start, each on its own thread,
 * until together they have read every record; the clock runs from that moment (just before the
 * members subscribe and first poll) to the poll that completes the topic, so it includes forming the
 * group, as a consumer application's start does. Reports MB/s of the topic's record values.
 *
 * <p>"Read every record" is counted per partition as the highest offset read plus one (the topic
 * has no transactions or gaps, so the partitions' sums reach {@code records} exactly when all is
 * read); a record read twice (a rebalance hands a partition over before its reader committed) does
 * not count twice. The group's coordinator is found before the clock starts
 * ({@link Clients#awaitGroupCoordinator}).
 */
final class GroupConsumeWorkload implements Workload {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(100);

    private final String name;
    private final String topic;
    private final String groupId;
    private final int partitions;
    private final long records;
    private final int members;

    GroupConsumeWorkload(String name, String topic, String groupId, int partitions, long records, int members) {
        this.name = name;
        this.topic = topic;
        this.groupId = groupId;
        this.partitions = partitions;
        this.records = records;
        this.members = members;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Measurements run(String bootstrap) throws Exception {
        Clients.awaitGroupCoordinator(bootstrap, groupId);
        AtomicLongArray nextOffsets = new AtomicLongArray(partitions);
        AtomicLong bytesRead = new AtomicLong();
        AtomicLong finishedNanos = new AtomicLong();
        CountDownLatch finished = new CountDownLatch(1);
        GroupAssignments assignments = new GroupAssignments();
        List<GroupMember> group = new ArrayList<>();
        try {
            for (int i = 0; i < members; i++) {
                group.add(new GroupMember("member-" + i, bootstrap, groupId, topic, assignments, POLL_TIMEOUT,
                    batch -> {
                        if (read(batch, nextOffsets, bytesRead)) {
                            finishedNanos.compareAndSet(0, System.nanoTime());
                            finished.countDown();
                        }
                    }));
            }
            long start = System.nanoTime();
            group.forEach(GroupMember::start);
            long deadline = start + TIMEOUT.toNanos();
            while (!finished.await(100, TimeUnit.MILLISECONDS)) {
                for (GroupMember member : group) {
                    if (member.failure() != null) {
                        throw new IllegalStateException(name + ": " + member.name() + " failed", member.failure());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + ": read " + total(nextOffsets) + " of " + records + " records in " + TIMEOUT);
                }
            }
            double seconds = (finishedNanos.get() - start) / 1e9;
            return new Measurements()
                .put(name + " MB/s", records * ProduceWorkload.RECORD_SIZE / 1e6 / seconds)
                .addBytesMoved(bytesRead.get());
        } finally {
            for (GroupMember member : group) {
                member.close();
            }
        }
    }

    /** Counts a batch in; true when the topic has been read to its end (records were read). */
    private boolean read(ConsumerRecords<byte[], byte[]> batch, AtomicLongArray nextOffsets, AtomicLong bytesRead) {
        if (batch.isEmpty()) {
            return false;
        }
        long bytes = 0;
        for (ConsumerRecord<byte[], byte[]> record : batch) {
            nextOffsets.accumulateAndGet(record.partition(), record.offset() + 1, Math::max);
            bytes += record.value().length;
        }
        bytesRead.addAndGet(bytes);
        return total(nextOffsets) >= records;
    }

    private static long total(AtomicLongArray nextOffsets) {
        long sum = 0;
        for (int p = 0; p < nextOffsets.length(); p++) {
            sum += nextOffsets.get(p);
        }
        return sum;
    }
}
