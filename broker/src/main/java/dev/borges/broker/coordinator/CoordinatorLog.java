package dev.borges.broker.coordinator;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

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
     * Completes once the record at {@code offset} is committed: below the partition's high
     * watermark, so it survives the loss of the leader. With a replication factor of one that is at
     * once; with followers it waits for them.
     */
    CompletableFuture<Void> whenCommitted(long offset);

    /** Hands every record from the log start to the current log end to {@code replay}, in order; returns how many. */
    long readAll(Consumer<CoordinatorRecord> replay);
}
