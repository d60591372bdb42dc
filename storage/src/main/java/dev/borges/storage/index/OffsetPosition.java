package dev.borges.storage.index;

/** An offset and the byte position in the segment's log file of the batch that holds it. */
public record OffsetPosition(long offset, int position) {
}
