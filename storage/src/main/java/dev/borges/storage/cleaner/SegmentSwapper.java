package dev.borges.storage.cleaner;

import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.PartitionLog;
import java.util.List;

/**
 * The last step of cleaning a group of segments: putting the cleaned segment in their place. In
 * production this is {@link PartitionLog#replaceSegments}, which makes the swap crash-safe; tests
 * substitute a swapper that stops part way, as a crash would.
 */
@FunctionalInterface
interface SegmentSwapper {
    SegmentSwapper PARTITION_LOG = (log, cleaned, oldSegments) -> log.replaceSegments(cleaned, oldSegments);

    /**
     * @param cleaned the finished segment, with {@link LogSegment#CLEANED_SUFFIX} file names
     * @return false, having changed nothing, if the old segments are no longer all in the log
     */
    boolean swap(PartitionLog log, LogSegment cleaned, List<LogSegment> oldSegments);
}
