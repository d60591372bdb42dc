package dev.borges.storage.log;

/** How far a read may go: the log end (followers), the high watermark (consumers). */
public enum FetchIsolation {
    LOG_END,
    HIGH_WATERMARK
}
