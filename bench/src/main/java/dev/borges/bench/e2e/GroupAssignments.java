package dev.borges.bench.e2e;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;

/**
 * Which partitions each member of a consumer group owns, as its rebalance callbacks report them
 * ({@code onPartitionsAssigned} adds, {@code onPartitionsRevoked} and {@code onPartitionsLost}
 * remove; with the eager protocol a rebalance revokes everything first), and when each member last
 * received an assignment. A workload waits here until a given set of members together own every
 * partition exactly once, each of them assigned since a given moment: that moment is when the
 * group's rebalance is over for all of them.
 *
 * <p>Thread-safe: callbacks come from each member's own polling thread; a workload thread waits.
 */
final class GroupAssignments {

    private final Map<String, Set<TopicPartition>> owned = new HashMap<>();
    private final Map<String, Long> lastAssignedNanos = new HashMap<>();
    private final Map<String, Long> lastRevokedNanos = new HashMap<>();

    synchronized void assigned(String member, Collection<TopicPartition> partitions) {
        owned.computeIfAbsent(member, m -> new HashSet<>()).addAll(partitions);
        lastAssignedNanos.put(member, System.nanoTime());
        notifyAll();
    }

    synchronized void revoked(String member, Collection<TopicPartition> partitions) {
        owned.computeIfAbsent(member, m -> new HashSet<>()).removeAll(partitions);
        lastRevokedNanos.put(member, System.nanoTime());
        notifyAll();
    }

    /**
     * {@link System#nanoTime()} of the last {@code onPartitionsRevoked} among {@code members}, or
     * null if one of them had none. With the eager protocol a member revokes everything just before
     * it sends its JoinGroup, so this is when the last of them started rejoining.
     */
    synchronized Long lastRevoked(Set<String> members) {
        long latest = Long.MIN_VALUE;
        for (String member : members) {
            Long revokedAt = lastRevokedNanos.get(member);
            if (revokedAt == null) {
                return null;
            }
            latest = Math.max(latest, revokedAt);
        }
        return latest;
    }

    /** The member's consumer is closed: it owns nothing any more. */
    synchronized void left(String member) {
        owned.remove(member);
        lastAssignedNanos.remove(member);
        lastRevokedNanos.remove(member);
        notifyAll();
    }

    /**
     * Waits until exactly {@code members} own partitions, together all {@code partitions} of the
     * topic with none owned twice, and each of them was assigned at or after {@code sinceNanos};
     * returns the {@link System#nanoTime()} of the last of those assignments.
     */
    synchronized long awaitCovering(Set<String> members, int partitions, long sinceNanos, Duration timeout)
        throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Long completed = completedAt(members, partitions, sinceNanos);
            if (completed != null) {
                return completed;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("members " + members + " did not own all " + partitions + " partitions within "
                    + timeout + "; owned: " + owned);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    private Long completedAt(Set<String> members, int partitions, long sinceNanos) {
        long latest = Long.MIN_VALUE;
        Set<TopicPartition> union = new HashSet<>();
        int total = 0;
        for (Map.Entry<String, Set<TopicPartition>> entry : owned.entrySet()) {
            if (!members.contains(entry.getKey()) && !entry.getValue().isEmpty()) {
                return null;
            }
        }
        for (String member : members) {
            Long assignedAt = lastAssignedNanos.get(member);
            if (assignedAt == null || assignedAt - sinceNanos < 0) {
                return null;
            }
            latest = Math.max(latest, assignedAt);
            Set<TopicPartition> mine = owned.getOrDefault(member, Set.of());
            union.addAll(mine);
            total += mine.size();
        }
        return union.size() == partitions && total == partitions ? latest : null;
    }
}
