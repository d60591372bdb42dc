package dev.borges.storage.log;

import dev.borges.storage.index.TimestampOffset;
import java.io.IOException;
import java.util.Optional;

/**
 * The timestamp searches of ListOffsets over a log's segments: the first record at or after a
 * time, and the readable record with the largest timestamp. Stateless; reads immutable segment
 * data and may run on any thread.
 */
final class TimestampSearch {
    private TimestampSearch() {
    }

    /**
     * The record with the largest timestamp for {@link TimestampLookup#MAX_TIMESTAMP}, else the
     * first record at or after {@code start} whose timestamp is at least {@code targetTimestamp};
     * empty if there is none.
     */
    static Optional<TimestampLookup> find(LogSegments segments, long targetTimestamp, long start) throws IOException {
        if (targetTimestamp == TimestampLookup.MAX_TIMESTAMP) {
            return recordWithMaxTimestamp(segments, start);
        }
        for (LogSegment segment : segments.all()) {
            if (segment.maxTimestamp() >= targetTimestamp) {
                Optional<TimestampOffset> found = segment.findOffsetByTimestamp(targetTimestamp, start);
                if (found.isPresent()) {
                    return found.map(t -> new TimestampLookup(t.timestamp(), t.offset()));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The readable record with the largest timestamp. A segment's maximum may belong to a record
     * below the log start, so the segment holding the log start is measured from there on.
     */
    private static Optional<TimestampLookup> recordWithMaxTimestamp(LogSegments segments, long start) throws IOException {
        LogSegment best = null;
        long bestTimestamp = -1L;
        for (LogSegment segment : segments.all()) {
            long end = segments.higher(segment.baseOffset()).map(LogSegment::baseOffset).orElse(Long.MAX_VALUE);
            if (end <= start) {
                continue;
            }
            long readableMax = segment.baseOffset() >= start ? segment.maxTimestamp() : segment.maxTimestampFrom(start);
            if (readableMax > bestTimestamp) {
                best = segment;
                bestTimestamp = readableMax;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return best.findOffsetByTimestamp(bestTimestamp, start).map(t -> new TimestampLookup(t.timestamp(), t.offset()));
    }
}
