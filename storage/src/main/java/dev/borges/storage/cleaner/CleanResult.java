package dev.borges.storage.cleaner;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.TopicPartition;

/**
 * What one cleaning pass over one log did. Immutable.
 *
 * @param firstDirtyOffset where the dirty section started (the checkpoint the pass began from)
 * @param endOffset the new checkpoint: every record below it has been through a pass (equal to
 *                  {@code firstDirtyOffset} unless {@link Outcome#CLEANED})
 * @param segmentsRead segments rewritten (or found unchanged and left alone)
 * @param segmentsWritten cleaned segments swapped in
 * @param recordsRemoved records dropped: older values of a key, records without a key, expired tombstones,
 *                       records of aborted transactions
 * @param tombstonesRemoved tombstones dropped because their delete horizon had passed
 * @param earliestDeleteHorizonMs the earliest delete horizon of a batch still holding tombstones (or
 *                                of a transaction marker counting down) in the rewritten range, or
 *                                {@link RecordBatch#NO_TIMESTAMP}: when the next pass can remove one
 * @param abortedRecordsRemoved records dropped because their transaction was aborted (also counted
 *                              in {@code recordsRemoved})
 * @param markersRemoved transaction markers dropped once no record of their transaction was left
 *                       and their delete horizon had passed
 */
public record CleanResult(TopicPartition topicPartition, Outcome outcome, long firstDirtyOffset, long endOffset,
                          int segmentsRead, int segmentsWritten, long bytesRead, long bytesWritten, long recordsRemoved,
                          long tombstonesRemoved, long earliestDeleteHorizonMs, long abortedRecordsRemoved, long markersRemoved) {

    /** How a pass ended. */
    public enum Outcome {
        /** The log was compacted and the checkpoint moved to {@link #endOffset()}. */
        CLEANED,
        /** Nothing to do: not a compacted topic, offline, marked uncleanable, or below every threshold. */
        NOT_NEEDED,
        /** Another pass over the same log is running. */
        IN_PROGRESS,
        /**
         * The log changed under the pass (retention, truncation): segments already swapped stay, the
         * rest is discarded and the checkpoint is unchanged; the next pass starts again.
         */
        ABORTED
    }

    static CleanResult nothing(TopicPartition topicPartition, Outcome outcome, long firstDirtyOffset) {
        return new CleanResult(topicPartition, outcome, firstDirtyOffset, firstDirtyOffset, 0, 0, 0, 0, 0, 0,
            RecordBatch.NO_TIMESTAMP, 0, 0);
    }

    /** Bytes freed on disk (negative if the rewritten segments grew). */
    public long bytesFreed() {
        return bytesRead - bytesWritten;
    }
}
