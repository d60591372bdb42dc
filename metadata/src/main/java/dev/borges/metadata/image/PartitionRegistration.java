package dev.borges.metadata.image;

import dev.borges.metadata.record.PartitionChangeRecord;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.protocol.types.Uuid;
import java.util.List;

/**
 * One partition's placement as the metadata log last said: replicas, in-sync replicas, leader (a
 * broker id or {@link PartitionRecord#NO_LEADER}), leader epoch and partition epoch. Immutable.
 */
public record PartitionRegistration(
    List<Integer> replicas,
    List<Integer> isr,
    int leader,
    int leaderEpoch,
    int partitionEpoch) {

    public PartitionRegistration {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    static PartitionRegistration fromRecord(PartitionRecord record) {
        return new PartitionRegistration(record.replicas(), record.isr(), record.leader(), record.leaderEpoch(),
            record.partitionEpoch());
    }

    /** This partition after {@code change}: the partition epoch rises, and the leader epoch if the leader changed. */
    PartitionRegistration merge(PartitionChangeRecord change) {
        int newLeader = change.leader().orElse(leader);
        boolean leaderChanged = newLeader != leader;
        return new PartitionRegistration(
            change.replicas().orElse(replicas),
            change.isr().orElse(isr),
            newLeader,
            leaderChanged ? leaderEpoch + 1 : leaderEpoch,
            partitionEpoch + 1);
    }

    /** The record that recreates this partition, for snapshots. */
    public PartitionRecord toRecord(Uuid topicId, int partitionId) {
        return new PartitionRecord(topicId, partitionId, replicas, isr, leader, leaderEpoch, partitionEpoch);
    }

    public boolean hasLeader() {
        return leader != PartitionRecord.NO_LEADER;
    }
}
