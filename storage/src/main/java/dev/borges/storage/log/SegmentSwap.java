package dev.borges.storage.log;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;

/**
 * Puts a compacted segment in place of the segments it was made from, so that a crash at any point
 * leaves either the old segments or the new one, never a mix:
 * <ol>
 *   <li>the new segment's files go from {@code .cleaned} to {@code .swap}, its log file last (from
 *       then on, a restart completes the swap: {@link LogLoader}); its transaction index file is
 *       created first if no entry did, so a restart never mistakes an old segment's for it;</li>
 *   <li>the old segments leave the log and their files become {@code .deleted};</li>
 *   <li>the new segment's files take their live names, its log file last, and it joins the log.</li>
 * </ol>
 * A restart completes an interrupted swap by removing the live segments based between the new
 * segment's base and its next offset, so the new segment must reach past the base offset of the
 * last segment it replaces (a cleaner whose last segment came out empty keeps an empty batch at its
 * end for that).
 *
 * <p>Stateless; runs under the log's append lock ({@link PartitionLog#replaceSegments}).
 */
final class SegmentSwap {
    private SegmentSwap() {
    }

    /**
     * @return false, having changed nothing, if an old segment is no longer in the log or is its active segment
     * @throws IllegalArgumentException if {@code cleaned} ends before the last old segment begins
     */
    static boolean replace(LogSegments segments, LogSegment cleaned, List<LogSegment> oldSegments, Consumer<LogSegment> segmentDeleter)
        throws IOException {
        long lastOldBase = oldSegments.get(oldSegments.size() - 1).baseOffset();
        if (cleaned.readNextOffset() <= lastOldBase) {
            throw new IllegalArgumentException("A compacted segment ending at " + cleaned.readNextOffset()
                + " cannot replace segments up to one based at " + lastOldBase + ": a restart could not complete the swap");
        }
        for (LogSegment old : oldSegments) {
            if (segments.floor(old.baseOffset()).orElse(null) != old || old == segments.active()) {
                return false;
            }
        }
        cleaned.txnIndex().createIfAbsent();
        cleaned.flush();
        cleaned.onBecomeInactive();
        cleaned.changeFileSuffixes(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
        for (LogSegment old : oldSegments) {
            segments.remove(old.baseOffset());
            old.changeFileSuffixes("", LogSegment.DELETED_SUFFIX);
        }
        cleaned.changeFileSuffixes(LogSegment.SWAP_SUFFIX, "");
        segments.add(cleaned);
        for (LogSegment old : oldSegments) {
            segmentDeleter.accept(old);
        }
        return true;
    }
}
