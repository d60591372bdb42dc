package dev.borges.storage.producer;

/**
 * A transaction a marker just ended on this partition: the producer, the offset of its first
 * batch and the offset of the marker. Only transactions that wrote data here complete one: a
 * marker for a producer with no open transaction (a retried marker, or a transaction that wrote
 * nothing to this partition) changes the producer's epochs but completes nothing.
 *
 * @param firstOffset offset of the transaction's first record on this partition
 * @param lastOffset offset of the marker that ended it
 * @param isAborted true for an ABORT marker, false for COMMIT
 */
public record CompletedTxn(long producerId, long firstOffset, long lastOffset, boolean isAborted) {
    public CompletedTxn {
        if (lastOffset < firstOffset) {
            throw new IllegalArgumentException("Transaction of producer " + producerId + " ends at " + lastOffset
                + ", before its first offset " + firstOffset);
        }
    }
}
