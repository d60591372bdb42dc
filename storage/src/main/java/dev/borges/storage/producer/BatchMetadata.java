package dev.borges.storage.producer;

/**
 * What a producer's state remembers of one batch it appended: enough to recognise a retry of that
 * batch and answer it with the offsets and timestamp of the original, without reading the log.
 * Offsets are the ones the log assigned, not the ones the producer sent.
 *
 * @param firstSequence sequence of the batch's first record
 * @param lastSequence sequence of its last record (wrapped past {@code Integer.MAX_VALUE} to 0)
 * @param lastOffset offset of its last record
 * @param offsetDelta {@code lastOffset} minus the offset of its first record
 * @param maxTimestamp the batch's max timestamp, as written
 */
public record BatchMetadata(int firstSequence, int lastSequence, long lastOffset, int offsetDelta, long maxTimestamp) {
    public BatchMetadata {
        if (offsetDelta < 0) {
            throw new IllegalArgumentException("Offset delta " + offsetDelta + " is negative");
        }
    }

    /** Offset of the batch's first record. */
    public long firstOffset() {
        return lastOffset - offsetDelta;
    }

    /** Whether this is the batch a producer sent with these sequences (a retry of it carries the same ones). */
    boolean hasSequences(int first, int last) {
        return firstSequence == first && lastSequence == last;
    }
}
