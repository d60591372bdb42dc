package dev.borges.metadata.image;

import dev.borges.protocol.types.Uuid;
import java.util.Objects;
import java.util.Optional;

/**
 * How one partition differs between two images: created ({@code before} empty) or changed. The
 * broker uses these to become leader or follower, or to create the partition's log.
 */
public record PartitionChange(
    String topicName,
    Uuid topicId,
    int partitionId,
    Optional<PartitionRegistration> before,
    PartitionRegistration after) {

    public PartitionChange {
        Objects.requireNonNull(topicName, "topicName");
        Objects.requireNonNull(topicId, "topicId");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    public boolean isCreated() {
        return before.isEmpty();
    }

    /** Created, or a different leader (or the same one with a new leader epoch). */
    public boolean leaderChanged() {
        return before.map(b -> b.leader() != after.leader() || b.leaderEpoch() != after.leaderEpoch()).orElse(true);
    }

    public boolean isrChanged() {
        return before.map(b -> !b.isr().equals(after.isr())).orElse(true);
    }

    public boolean replicasChanged() {
        return before.map(b -> !b.replicas().equals(after.replicas())).orElse(true);
    }
}
