package dev.borges.broker.coordinator;

/**
 * The state a coordinator keeps for one partition of its internal topic, rebuilt from that
 * partition's records. Operations on it are {@link CoordinatorWriteOperation}s, which return
 * records instead of changing durable state; {@link #replay} is the one way records change it, at
 * load and after every append, so a restart and normal operation take the same path.
 *
 * <p>Threading: every method is called on the shard's thread of the {@link CoordinatorRuntime},
 * never concurrently.
 */
public interface CoordinatorShard {
    /** Applies one record of the shard's partition. Must accept any record this coordinator ever wrote. */
    void replay(CoordinatorRecord record);

    /** Every record of the partition has been replayed: time to start the timers the state needs. */
    void onLoaded(long nowMs);

    /** The shard is dropped (this broker no longer leads its partition): fail whatever still waits. */
    void onUnloaded();
}
