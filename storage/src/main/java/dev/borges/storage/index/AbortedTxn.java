package dev.borges.storage.index;

/**
 * One aborted transaction, as an entry of a segment's {@link TransactionIndex} (whose class
 * documents the 34-byte layout) and as a fetch response's {@code aborted_transactions} element
 * (which carries the producer id and first offset).
 *
 * @param firstOffset offset of the transaction's first record on this partition
 * @param lastOffset offset of the ABORT marker that ended it
 * @param lastStableOffset the partition's last stable offset right after the marker: the first
 *     offset of the earliest transaction still open then, or {@code lastOffset + 1}. A reader
 *     scanning the index for transactions that start before some offset may stop at the first
 *     entry whose last stable offset is at or past it: every transaction starting earlier had
 *     ended by then.
 */
public record AbortedTxn(long producerId, long firstOffset, long lastOffset, long lastStableOffset) {
    public AbortedTxn {
        if (firstOffset < 0 || lastOffset < firstOffset) {
            throw new IllegalArgumentException("Aborted transaction of producer " + producerId + " spans " + firstOffset
                + ".." + lastOffset);
        }
    }
}
