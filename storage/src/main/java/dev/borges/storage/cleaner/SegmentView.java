package dev.borges.storage.cleaner;

import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.PartitionLog;
import java.util.ArrayList;
import java.util.List;

/**
 * An inactive segment as the cleaner sees it: the segment and the offset its successor starts at,
 * which bounds every offset the segment may hold (after compaction its last batch may end earlier).
 *
 * @param endOffset base offset of the next segment: the segment holds offsets in [base, end)
 */
record SegmentView(LogSegment segment, long endOffset) {

    long baseOffset() {
        return segment.baseOffset();
    }

    int size() {
        return segment.size();
    }

    /**
     * The log's inactive segments, oldest first, each with its end offset, as one consistent
     * snapshot: the list and the active segment's base are read again if a roll happened in between.
     * The segments themselves are immutable; retention or truncation may still remove them later,
     * which {@link PartitionLog#replaceSegments} detects.
     */
    static List<SegmentView> inactiveSegments(PartitionLog log) {
        while (true) {
            long activeBase = log.activeSegmentBaseOffset();
            List<LogSegment> inactive = log.inactiveSegments();
            if (activeBase != log.activeSegmentBaseOffset()
                || (!inactive.isEmpty() && inactive.get(inactive.size() - 1).baseOffset() >= activeBase)) {
                continue; // rolled meanwhile
            }
            List<SegmentView> views = new ArrayList<>(inactive.size());
            for (int i = 0; i < inactive.size(); i++) {
                long end = i + 1 < inactive.size() ? inactive.get(i + 1).baseOffset() : activeBase;
                views.add(new SegmentView(inactive.get(i), end));
            }
            return views;
        }
    }
}
