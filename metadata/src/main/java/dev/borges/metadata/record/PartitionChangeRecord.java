package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Part of an existing partition changed: its ISR, its leader, or its replica set. An empty field
 * means "unchanged". A leader of {@link PartitionRecord#NO_LEADER} means the partition lost its
 * leader. Replay raises the partition epoch, and the leader epoch when the leader changes.
 */
public record PartitionChangeRecord(
    Uuid topicId,
    int partitionId,
    Optional<List<Integer>> isr,
    OptionalInt leader,
    Optional<List<Integer>> replicas) implements MetadataRecord {

    public PartitionChangeRecord {
        Objects.requireNonNull(topicId, "topicId");
        if (partitionId < 0) {
            throw new IllegalArgumentException("partitionId " + partitionId + " is negative");
        }
        isr = isr.map(List::copyOf);
        replicas = replicas.map(List::copyOf);
        Objects.requireNonNull(leader, "leader");
        if (leader.isPresent() && leader.getAsInt() < PartitionRecord.NO_LEADER) {
            throw new IllegalArgumentException("leader " + leader.getAsInt() + " is neither a broker id nor NO_LEADER");
        }
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.PARTITION_CHANGE;
    }
}
