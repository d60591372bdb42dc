package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Objects;

/**
 * A partition was created (or wholly replaced) with these replicas, in-sync replicas and leader.
 * {@code leader} is a broker id, or {@link #NO_LEADER}. The leader epoch rises every time the
 * leader changes; the partition epoch every time anything in the partition changes.
 */
public record PartitionRecord(
    Uuid topicId,
    int partitionId,
    List<Integer> replicas,
    List<Integer> isr,
    int leader,
    int leaderEpoch,
    int partitionEpoch) implements MetadataRecord {

    /** The leader id meaning "no leader". */
    public static final int NO_LEADER = -1;

    public PartitionRecord {
        Objects.requireNonNull(topicId, "topicId");
        if (partitionId < 0) {
            throw new IllegalArgumentException("partitionId " + partitionId + " is negative");
        }
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        if (leader < NO_LEADER) {
            throw new IllegalArgumentException("leader " + leader + " is neither a broker id nor NO_LEADER");
        }
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.PARTITION;
    }
}
