package dev.borges.broker.group.offsets;

import dev.borges.broker.group.record.OffsetCommitValue;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The committed offsets of one shard's groups: group → topic → partition → offset. Changed only
 * by {@link #replay}, at load and after each append; everything else reads.
 *
 * <p>Threading: the shard's thread only.
 */
public final class OffsetStore {
    private final Map<String, Map<String, Map<Integer, OffsetCommitValue>>> offsets = new HashMap<>();

    /** Stores an offset, or (null value, a tombstone) deletes it. */
    public void replay(String group, String topic, int partition, OffsetCommitValue value) {
        if (value != null) {
            offsets.computeIfAbsent(group, g -> new TreeMap<>()).computeIfAbsent(topic, t -> new TreeMap<>()).put(partition, value);
            return;
        }
        Map<String, Map<Integer, OffsetCommitValue>> topics = offsets.get(group);
        if (topics == null) {
            return;
        }
        Map<Integer, OffsetCommitValue> partitions = topics.get(topic);
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

    /** The committed offset, or null. */
    public OffsetCommitValue get(String group, String topic, int partition) {
        Map<String, Map<Integer, OffsetCommitValue>> topics = offsets.get(group);
        if (topics == null) {
            return null;
        }
        Map<Integer, OffsetCommitValue> partitions = topics.get(topic);
        return partitions == null ? null : partitions.get(partition);
    }

    /** Every offset of {@code group} by topic (in name order) and partition; empty if none. Read-only. */
    public Map<String, Map<Integer, OffsetCommitValue>> offsets(String group) {
        Map<String, Map<Integer, OffsetCommitValue>> topics = offsets.get(group);
        return topics == null ? Map.of() : Collections.unmodifiableMap(topics);
    }

    public boolean hasOffsets(String group) {
        return offsets.containsKey(group);
    }

    /** The groups with at least one offset. Read-only. */
    public Set<String> groups() {
        return Collections.unmodifiableSet(offsets.keySet());
    }
}
