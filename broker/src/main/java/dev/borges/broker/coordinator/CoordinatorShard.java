package dev.borges.broker.coordinator;

/**
 * The state a coordinator keeps for one partition of its internal topic, rebuilt from that
 * partition's records. Operations on it are {@link CoordinatorWriteOperation}s, which return
 * records instead of changing durable state; the replay methods are the one way records change it,
 * at load and after every append, so a restart and normal operation take the same path.
 *
 * <h2>Transactions</h2>
 * A shard may write records inside a producer's transaction (the group coordinator's
 * TxnOffsetCommit, KIP-98): they are replayed with {@link #replayTransactional} and must not take
 * effect until the transaction's COMMIT or ABORT marker is replayed with
 * {@link #replayEndTransaction}. Loading replays them the same way, in log order, so a transaction
 * still open at the end of the log stays open (its coordinator finishes it later). A shard that
 * never writes transactionally keeps the defaults.
 *
 * <p>Threading: every method is called on the shard's thread of the {@link CoordinatorRuntime},
 * never concurrently.
 */
public interface CoordinatorShard {
    /** Applies one record of the shard's partition. Must accept any record this coordinator ever wrote. */
    void replay(CoordinatorRecord record);

    /**
     * Applies one record written in the transaction of {@code producerId} (at {@code producerEpoch}):
     * pending until {@link #replayEndTransaction} for that producer.
     *
     * @throws UnsupportedOperationException by default: the shard never writes transactionally
     */
    default void replayTransactional(long producerId, short producerEpoch, CoordinatorRecord record) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no transactional records");
    }

    /**
     * The transaction of {@code producerId} ended here: what it wrote takes effect ({@code commit})
     * or is dropped. A producer with nothing pending in this shard is no error (its transaction
     * wrote elsewhere, or the marker is repeated).
     */
    default void replayEndTransaction(long producerId, short producerEpoch, boolean commit) {
    }

    /** Every record of the partition has been replayed: time to start the timers the state needs. */
    void onLoaded(long nowMs);

    /** The shard is dropped (this broker no longer leads its partition): fail whatever still waits. */
    void onUnloaded();
}
