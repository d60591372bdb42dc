package dev.borges.storage.log;

/**
 * What the log directory's checkpoint files say about a partition when it is opened.
 *
 * @param cleanShutdown whether the broker shut down cleanly (its marker file was present): no recovery needed
 * @param recoveryPoint offset below which everything was flushed; recovery starts at its segment
 */
public record LogStartState(boolean cleanShutdown, long recoveryPoint, long logStartOffset, long highWatermark) {
    /** A new partition, or one with no checkpoints: recover everything. */
    public static final LogStartState NEW = new LogStartState(false, 0L, 0L, 0L);
}
