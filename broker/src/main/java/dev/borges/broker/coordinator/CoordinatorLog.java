package dev.borges.broker.coordinator;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The partition a shard writes to and loads from. The runtime calls it only on the shard's thread.
 */
public interface CoordinatorLog {
    /**
     * Appends {@code records} as one batch and returns the offset of the last.
     *
     * @throws RuntimeException if the append fails (nothing was written)
     */
    long append(List<CoordinatorRecord> records, long nowMs);

    /**
     * Appends {@code records} as one transactional batch of {@code producerId} at
     * {@code producerEpoch} (KIP-98): readers and the shard treat them as pending until the
     * producer's COMMIT or ABORT marker. Returns the offset of the last.
     *
     * @throws RuntimeException if the append fails, nothing written: a storage error such as
     *     {@code INVALID_PRODUCER_EPOCH} for a fenced producer
     */
    long appendTransactional(long producerId, short producerEpoch, List<CoordinatorRecord> records, long nowMs);

    /**
     * Appends the COMMIT ({@code commit}) or ABORT marker that ends {@code producerId}'s
     * transaction, for the transaction coordinator of {@code coordinatorEpoch}; returns its offset.
     *
     * @throws RuntimeException if the append fails, nothing written: a storage error such as
     *     {@code INVALID_PRODUCER_EPOCH} or {@code TRANSACTION_COORDINATOR_FENCED}
     */
    long appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, long nowMs);

    /**
     * Completes once the record at {@code offset} is committed: below the partition's high
     * watermark, so it survives the loss of the leader. With a replication factor of one that is at
     * once; with followers it waits for them.
     */
    CompletableFuture<Void> whenCommitted(long offset);

    /**
     * Hands every record and transaction marker from the log start to the current log end to
     * {@code shard}, in order: plain records to {@link CoordinatorShard#replay}, records of
     * transactional batches to {@link CoordinatorShard#replayTransactional}, markers to
     * {@link CoordinatorShard#replayEndTransaction}. Returns how many records (markers included).
     */
    long readAll(CoordinatorShard shard);
}
