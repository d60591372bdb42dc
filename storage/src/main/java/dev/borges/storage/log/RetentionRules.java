package dev.borges.storage.log;

import dev.borges.storage.config.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which segments retention may delete. Only whole inactive segments are ever deleted, oldest
 * first, and only those entirely below the high watermark (a consumer may still be reading
 * anything above it). Each rule deletes a prefix of the log:
 * <ul>
 *   <li>log start: segments entirely below the log start offset (after DeleteRecords), always;</li>
 *   <li>time ({@code retention.ms}, delete policy): segments whose newest record is older than that
 *       (the file's modification time for a segment without timestamps);</li>
 *   <li>size ({@code retention.bytes}, delete policy): the oldest segments while the log would still
 *       be at least that large without them.</li>
 * </ul>
 */
final class RetentionRules {
    private RetentionRules() {
    }

    static List<LogSegment> deletable(LogSegments segments, LogConfig config, long logStartOffset, long highWatermark, long nowMs) {
        List<LogSegment> result = new ArrayList<>(belowLogStart(segments, logStartOffset));
        if (config.delete()) {
            if (config.retentionMs() >= 0) {
                addPrefix(segments, highWatermark, result, segment -> nowMs - newestTimestamp(segment) > config.retentionMs());
            }
            if (config.retentionBytes() >= 0) {
                long[] excess = {segments.totalSize() - config.retentionBytes()};
                for (LogSegment already : result) {
                    excess[0] -= already.size();
                }
                addPrefix(segments, highWatermark, result, segment -> {
                    if (excess[0] >= segment.size()) {
                        excess[0] -= segment.size();
                        return true;
                    }
                    return false;
                });
            }
        }
        return result;
    }

    static List<LogSegment> belowLogStart(LogSegments segments, long logStartOffset) {
        List<LogSegment> result = new ArrayList<>();
        addPrefix(segments, logStartOffset, result, segment -> true);
        return result;
    }

    /** Adds segments, oldest first, that end at or below {@code limit} and match, stopping at the first that does not. */
    private static void addPrefix(LogSegments segments, long limit, List<LogSegment> result, Predicate<LogSegment> rule) {
        for (LogSegment segment : segments.inactive()) {
            if (result.contains(segment)) {
                continue;
            }
            long end = segments.higher(segment.baseOffset()).map(LogSegment::baseOffset).orElse(Long.MAX_VALUE);
            if (end > limit || !rule.test(segment)) {
                return;
            }
            result.add(segment);
        }
    }

    private static long newestTimestamp(LogSegment segment) {
        if (segment.maxTimestamp() >= 0) {
            return segment.maxTimestamp();
        }
        try {
            return segment.lastModifiedMs();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
