package dev.borges.broker.group.assignor;

import dev.borges.protocol.types.Uuid;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Partitions of some topics, by topic id: what a consumer group member is assigned, owns, or must
 * give back. Immutable, with value equality; topics iterate in {@link #TOPIC_ORDER} and partitions
 * in ascending order, so records and responses built from an assignment are deterministic. A topic
 * never maps to an empty set.
 */
public record Assignment(Map<Uuid, SortedSet<Integer>> partitions) {
    /** No partitions. */
    public static final Assignment EMPTY = new Assignment(Map.of());

    /** The order topics are listed in: by the id's bits, most significant first. */
    public static final Comparator<Uuid> TOPIC_ORDER =
        Comparator.comparingLong(Uuid::mostSignificantBits).thenComparingLong(Uuid::leastSignificantBits);

    public Assignment {
        TreeMap<Uuid, SortedSet<Integer>> sorted = new TreeMap<>(TOPIC_ORDER);
        partitions.forEach((topicId, topicPartitions) -> {
            if (!topicPartitions.isEmpty()) {
                sorted.put(topicId, Collections.unmodifiableSortedSet(new TreeSet<>(topicPartitions)));
            }
        });
        partitions = Collections.unmodifiableMap(new LinkedHashMap<>(sorted));
    }

    /** An assignment of these partitions, copied. */
    public static Assignment of(Map<Uuid, ? extends Collection<Integer>> partitions) {
        Map<Uuid, SortedSet<Integer>> copy = new LinkedHashMap<>();
        partitions.forEach((topicId, topicPartitions) -> copy.put(topicId, new TreeSet<>(topicPartitions)));
        return new Assignment(copy);
    }

    /** The partitions of one topic, empty if none. */
    public Set<Integer> partitions(Uuid topicId) {
        SortedSet<Integer> topicPartitions = partitions.get(topicId);
        return topicPartitions == null ? Set.of() : topicPartitions;
    }

    public boolean contains(Uuid topicId, int partition) {
        return partitions(topicId).contains(partition);
    }

    public Set<Uuid> topicIds() {
        return partitions.keySet();
    }

    /** The number of partitions over all topics. */
    public int size() {
        int size = 0;
        for (SortedSet<Integer> topicPartitions : partitions.values()) {
            size += topicPartitions.size();
        }
        return size;
    }

    public boolean isEmpty() {
        return partitions.isEmpty();
    }

    /** True if this assignment and the other share a partition. */
    public boolean overlaps(Assignment other) {
        for (Map.Entry<Uuid, SortedSet<Integer>> entry : partitions.entrySet()) {
            Set<Integer> theirs = other.partitions(entry.getKey());
            for (Integer partition : entry.getValue()) {
                if (theirs.contains(partition)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A mutable accumulator of partitions that builds an {@link Assignment}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Collects partitions; not thread-safe. */
    public static final class Builder {
        private final Map<Uuid, SortedSet<Integer>> partitions = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder add(Uuid topicId, int partition) {
            partitions.computeIfAbsent(topicId, id -> new TreeSet<>()).add(partition);
            return this;
        }

        public Builder addAll(Uuid topicId, Collection<Integer> topicPartitions) {
            if (!topicPartitions.isEmpty()) {
                partitions.computeIfAbsent(topicId, id -> new TreeSet<>()).addAll(topicPartitions);
            }
            return this;
        }

        public Builder addAll(Assignment assignment) {
            assignment.partitions().forEach(this::addAll);
            return this;
        }

        public Builder remove(Uuid topicId, int partition) {
            SortedSet<Integer> topicPartitions = partitions.get(topicId);
            if (topicPartitions != null) {
                topicPartitions.remove(partition);
            }
            return this;
        }

        public int size() {
            int size = 0;
            for (SortedSet<Integer> topicPartitions : partitions.values()) {
                size += topicPartitions.size();
            }
            return size;
        }

        public Assignment build() {
            return new Assignment(partitions);
        }
    }
}
