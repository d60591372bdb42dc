package dev.borges.storage.log;

/**
 * How far a read may go: the log end (followers), the high watermark (consumers with
 * {@code isolation.level=read_uncommitted}), or the last stable offset (consumers with
 * {@code read_committed}, which also get the aborted transactions overlapping what they read).
 */
public enum FetchIsolation {
    LOG_END,
    HIGH_WATERMARK,
    TXN_COMMITTED
}
