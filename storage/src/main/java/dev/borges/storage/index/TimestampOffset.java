package dev.borges.storage.index;

/** A timestamp and the offset of the record carrying it. */
public record TimestampOffset(long timestamp, long offset) {
}
