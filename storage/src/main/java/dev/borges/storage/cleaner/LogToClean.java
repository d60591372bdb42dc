package dev.borges.storage.cleaner;

import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.BatchHeader;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where one compacted log stands for the cleaner at a given time: which part is clean, which part
 * is dirty and may be cleaned now, and whether {@code max.compaction.lag.ms} forces a pass.
 *
 * <pre>
 *  log start        first dirty offset         cleanable end            active segment
 *     |  clean (compacted)  |  dirty, cleanable   |  dirty, not yet cleanable  |  (never cleaned)
 *     [seg][seg.........][seg][seg][seg..........][seg (above LSO or too young)][active ........]
 * </pre>
 *
 * <ul>
 *   <li><b>first dirty offset</b>: the cleaner checkpoint, or the log start offset if there is none
 *       or it lies outside the log (reset after truncation or DeleteRecords);</li>
 *   <li><b>cleanable end</b>: a segment boundary; only whole inactive segments below it are cleaned.
 *       It stops before the first segment that reaches past the last stable offset, which is at most
 *       the high watermark (uncommitted records could still be truncated, and an undecided
 *       transaction's records may still be aborted, as Kafka never cleans past it) and before the first dirty segment whose newest record is younger
 *       than {@code min.compaction.lag.ms} (KIP-58); the active segment is never cleanable;</li>
 *   <li><b>cleanable ratio</b>: dirty cleanable bytes / (clean + dirty cleanable bytes), compared
 *       with {@code min.cleanable.dirty.ratio};</li>
 *   <li><b>compaction delay</b> (KIP-354): how long ago the oldest dirty segment's first batch
 *       should have been compacted under {@code max.compaction.lag.ms}; positive forces a pass.</li>
 * </ul>
 * Immutable: a snapshot taken by {@link #of}; the log may move on meanwhile.
 *
 * @param segments the inactive segments when the snapshot was taken
 * @param checkpointReset whether the checkpoint lay outside the log and was replaced by the log start offset
 */
record LogToClean(PartitionLog log, List<SegmentView> segments, long firstDirtyOffset, long cleanableEndOffset,
                  long cleanBytes, long dirtyBytes, long compactionDelayMs, boolean checkpointReset) {

    /**
     * Measures {@code log} at {@code nowMs}.
     *
     * @param checkpoint the log's cleaner checkpoint, if it has one
     */
    static LogToClean of(PartitionLog log, OptionalLong checkpoint, long nowMs) throws IOException {
        long logStart = log.logStartOffset();
        long checkpointed = checkpoint.orElse(logStart);
        boolean reset = checkpointed < logStart || checkpointed > log.logEndOffset();
        long firstDirty = reset ? logStart : checkpointed;
        List<SegmentView> segments = SegmentView.inactiveSegments(log);
        LogConfig config = log.config();
        long lastStable = log.lastStableOffset();

        long cleanableEnd = segments.isEmpty() ? firstDirty : segments.get(segments.size() - 1).endOffset();
        for (SegmentView view : segments) {
            boolean dirty = view.endOffset() > firstDirty;
            boolean tooYoung = dirty && config.minCompactionLagMs() > 0
                && view.segment().maxTimestamp() > nowMs - config.minCompactionLagMs();
            if (view.endOffset() > lastStable || tooYoung) {
                cleanableEnd = view.baseOffset();
                break;
            }
        }
        long cleanBytes = 0;
        long dirtyBytes = 0;
        for (SegmentView view : segments) {
            if (view.endOffset() <= firstDirty) {
                cleanBytes += view.size();
            } else if (view.endOffset() <= cleanableEnd) {
                dirtyBytes += view.size();
            }
        }
        long delay = compactionDelay(segments, firstDirty, config.maxCompactionLagMs(), nowMs);
        return new LogToClean(log, List.copyOf(segments), firstDirty, cleanableEnd, cleanBytes, dirtyBytes, delay, reset);
    }

    /**
     * KIP-354: how far past {@code now - max.compaction.lag.ms} the earliest first-batch timestamp
     * of a dirty inactive segment lies; 0 if none does (or the lag is unlimited, the default).
     */
    private static long compactionDelay(List<SegmentView> segments, long firstDirty, long maxLagMs, long nowMs)
        throws IOException {
        if (maxLagMs == Long.MAX_VALUE) {
            return 0;
        }
        long earliest = Long.MAX_VALUE;
        for (SegmentView view : segments) {
            if (view.endOffset() > firstDirty) {
                BatchHeader first = view.segment().log().readHeader(0);
                if (first != null && first.maxTimestamp() > 0) {
                    earliest = Math.min(earliest, first.maxTimestamp());
                }
            }
        }
        long cleanUntil = nowMs - maxLagMs;
        return earliest < cleanUntil ? cleanUntil - earliest : 0;
    }

    long totalBytes() {
        return cleanBytes + dirtyBytes;
    }

    /** Dirty cleanable bytes over all cleanable bytes; 0 for an empty log. */
    double cleanableRatio() {
        return totalBytes() == 0 ? 0.0 : (double) dirtyBytes / totalBytes();
    }

    /** Whether {@code max.compaction.lag.ms} has passed for some dirty record that can be cleaned now. */
    boolean mustCompactNow() {
        return compactionDelayMs > 0 && dirtyBytes > 0;
    }

    /** Whether the dirty ratio is above {@code min.cleanable.dirty.ratio} (strictly, as in Kafka). */
    boolean dirtyEnough() {
        return dirtyBytes > 0 && cleanableRatio() > log.config().minCleanableDirtyRatio();
    }
}
