package dev.borges.broker.group.offsets;

import dev.borges.broker.group.record.OffsetCommitValue;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The offsets of one shard's groups, committed and pending, rebuilt by replay and changed only by
 * the replay methods, at load and after each append; everything else reads.
 *
 * <pre>
 *   committed ──────────────────────── group → topic → partition → offset
 *   pending   producer id ──────────▶  group → topic → partition → offset   (TxnOffsetCommit, KIP-98)
 * </pre>
 *
 * A transactional offset commit is pending for its producer until the transaction's marker is
 * replayed: COMMIT moves the producer's pending offsets to committed, ABORT drops them. A pending
 * offset replaces a committed one only if it was written after it: a plain OffsetCommit written
 * after the transactional one (but before its marker) wins, as in Kafka. "Written after" is the
 * order in which records were replayed, which is log order both live and at load (compaction keeps
 * the order of what it keeps), so every offset remembers its position in that order.
 *
 * <p>A tombstone (OffsetDelete, DeleteGroups, expiry, a deleted topic) removes the committed offset
 * and every producer's pending offset of that partition.
 *
 * <p>Threading: the shard's thread only.
 */
public final class OffsetStore {
    private final OffsetTable committed = new OffsetTable();
    private final Map<Long, OffsetTable> pendingByProducer = new HashMap<>();
    /** How many offset records were replayed: the position of the next one. */
    private long replayed;

    /** A plain offset commit: stores the offset, or (null value, a tombstone) deletes it and any pending one. */
    public void replay(String group, String topic, int partition, OffsetCommitValue value) {
        if (value != null) {
            committed.put(group, topic, partition, new Positioned(value, replayed++));
            return;
        }
        committed.remove(group, topic, partition);
        pendingByProducer.values().removeIf(pending -> {
            pending.remove(group, topic, partition);
            return pending.isEmpty();
        });
    }

    /** An offset commit in {@code producerId}'s transaction: pending until its marker. A tombstone deletes as always. */
    public void replayPending(long producerId, String group, String topic, int partition, OffsetCommitValue value) {
        if (value == null) {
            replay(group, topic, partition, null);
            return;
        }
        pendingByProducer.computeIfAbsent(producerId, id -> new OffsetTable()).put(group, topic, partition,
            new Positioned(value, replayed++));
    }

    /** {@code producerId}'s transaction ended: its pending offsets become committed ({@code commit}) or go. */
    public void replayEndTransaction(long producerId, boolean commit) {
        OffsetTable pending = pendingByProducer.remove(producerId);
        if (pending == null || !commit) {
            return;
        }
        pending.forEach((group, topic, partition, offset) -> {
            Positioned current = committed.get(group, topic, partition);
            if (current == null || current.position < offset.position) {
                committed.put(group, topic, partition, offset);
            }
        });
    }

    /** The committed offset, or null. */
    public OffsetCommitValue get(String group, String topic, int partition) {
        Positioned offset = committed.get(group, topic, partition);
        return offset == null ? null : offset.value;
    }

    /** Every committed offset of {@code group} by topic (in name order) and partition (in order); empty if none. A copy. */
    public Map<String, Map<Integer, OffsetCommitValue>> offsets(String group) {
        Map<String, Map<Integer, OffsetCommitValue>> offsets = new TreeMap<>();
        committed.forEachOf(group, (topic, partition, offset) ->
            offsets.computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, offset.value));
        return offsets;
    }

    public boolean hasOffsets(String group) {
        return committed.hasGroup(group);
    }

    /** Whether some open transaction wrote an offset of this partition. */
    public boolean hasPending(String group, String topic, int partition) {
        return pendingByProducer.values().stream().anyMatch(pending -> pending.get(group, topic, partition) != null);
    }

    /** Whether some open transaction wrote an offset of {@code group}. */
    public boolean hasPending(String group) {
        return pendingByProducer.values().stream().anyMatch(pending -> pending.hasGroup(group));
    }

    /** The partitions of {@code group} with a pending offset, by topic (in name order). A copy. */
    public Map<String, Set<Integer>> pendingPartitions(String group) {
        Map<String, Set<Integer>> partitions = new TreeMap<>();
        for (OffsetTable pending : pendingByProducer.values()) {
            pending.forEachOf(group, (topic, partition, offset) ->
                partitions.computeIfAbsent(topic, t -> new TreeSet<>()).add(partition));
        }
        return partitions;
    }

    /** The groups with at least one committed offset. Read-only. */
    public Set<String> groups() {
        return committed.groups();
    }

    /** The groups with at least one committed or pending offset. A copy. */
    public Set<String> groupsWithAnyOffset() {
        Set<String> groups = new TreeSet<>(committed.groups());
        pendingByProducer.values().forEach(pending -> groups.addAll(pending.groups()));
        return groups;
    }

    /** An offset and its position in replay order. */
    private record Positioned(OffsetCommitValue value, long position) {
    }

    /** group → topic → partition → offset, with no empty levels. */
    private static final class OffsetTable {
        private final Map<String, Map<String, Map<Integer, Positioned>>> offsets = new HashMap<>();

        void put(String group, String topic, int partition, Positioned offset) {
            offsets.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, offset);
        }

        Positioned get(String group, String topic, int partition) {
            Map<String, Map<Integer, Positioned>> topics = offsets.get(group);
            Map<Integer, Positioned> partitions = topics == null ? null : topics.get(topic);
            return partitions == null ? null : partitions.get(partition);
        }

        void remove(String group, String topic, int partition) {
            Map<String, Map<Integer, Positioned>> topics = offsets.get(group);
            if (topics == null) {
                return;
            }
            Map<Integer, Positioned> partitions = topics.get(topic);
            if (partitions != null) {
                partitions.remove(partition);
                if (partitions.isEmpty()) {
                    topics.remove(topic);
                }
            }
            if (topics.isEmpty()) {
                offsets.remove(group);
            }
        }

        boolean hasGroup(String group) {
            return offsets.containsKey(group);
        }

        boolean isEmpty() {
            return offsets.isEmpty();
        }

        Set<String> groups() {
            return Collections.unmodifiableSet(offsets.keySet());
        }

        void forEachOf(String group, PartitionVisitor visitor) {
            offsets.getOrDefault(group, Map.of()).forEach((topic, partitions) ->
                partitions.forEach((partition, offset) -> visitor.visit(topic, partition, offset)));
        }

        void forEach(GroupPartitionVisitor visitor) {
            offsets.forEach((group, topics) -> forEachOf(group, (topic, partition, offset) -> visitor.visit(group, topic, partition, offset)));
        }
    }

    @FunctionalInterface
    private interface PartitionVisitor {
        void visit(String topic, int partition, Positioned offset);
    }

    @FunctionalInterface
    private interface GroupPartitionVisitor {
        void visit(String group, String topic, int partition, Positioned offset);
    }
}
