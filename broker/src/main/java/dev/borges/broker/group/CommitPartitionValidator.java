package dev.borges.broker.group;

import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;

/**
 * The per-partition part of checking an OffsetCommit, once the group accepted the committer
 * ({@link Group#validateOffsetCommit}): a consumer group member committing with an epoch older
 * than its current one may do so only for partitions it has held since that epoch (KIP-1251).
 *
 * <p>Threading: the shard's thread, within the commit it was made for.
 */
@FunctionalInterface
public interface CommitPartitionValidator {
    /** Accepts every partition: the committer's epoch or generation is the group's current one. */
    CommitPartitionValidator NO_OP = (topicId, partition) -> Errors.NONE;

    /**
     * @param topicId the partition's topic, {@link Uuid#ZERO} if it is not known
     * @return NONE if the offset of this partition may be committed, else the error for it
     */
    Errors validate(Uuid topicId, int partition);
}
