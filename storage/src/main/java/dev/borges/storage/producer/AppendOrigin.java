package dev.borges.storage.producer;

/**
 * Where a batch handed to {@link ProducerAppendInfo#append} comes from, which decides how much of
 * the producer's state is checked before it is accepted.
 */
public enum AppendOrigin {
    /**
     * A produce request from a client, appended by the leader: the epoch and the sequence are both
     * checked, and a violation rejects the batch before anything is written.
     */
    CLIENT,

    /**
     * A write by a coordinator of this broker: a transaction marker from the transaction
     * coordinator, or transactional offset commits from the group coordinator. The producer
     * epoch is checked, and for markers the coordinator epoch, but not sequence numbers: such
     * batches carry none.
     */
    COORDINATOR,

    /**
     * A batch fetched from the leader by a follower. The leader already checked it, and a follower
     * must hold what the leader holds, so nothing is rejected: a stale epoch is only logged.
     */
    REPLICATION,

    /**
     * A batch read back from this partition's own log while rebuilding state after a restart or a
     * truncation. It was checked when it was first written and is a fact now: nothing is rejected.
     */
    LOG_RECOVERY;

    /**
     * Whether a batch of this origin is held to the epoch rules (and a marker to the coordinator
     * epoch rule): a violation rejects it.
     */
    boolean validates() {
        return this == CLIENT || this == COORDINATOR;
    }

    /** Whether a batch of this origin must continue its producer's sequence numbers. */
    boolean checksSequence() {
        return this == CLIENT;
    }
}
