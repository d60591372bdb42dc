package dev.borges.storage.cleaner;

import dev.borges.storage.index.OffsetIndex;
import dev.borges.storage.index.TimeIndex;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits the segments a pass rewrites into groups, each cleaned into one new segment. Consecutive
 * segments join a group while the group still fits in one segment:
 * <ul>
 *   <li>their bytes together at most {@code segment.bytes} (what compaction keeps is never more
 *       than what it read, apart from the few bytes a delete horizon may add to a rebuilt batch);</li>
 *   <li>their index entries together, plus one per segment of slack (a merged segment counts
 *       index intervals across the old boundaries) and the time index's closing entry, within
 *       {@code segment.index.bytes};</li>
 *   <li>every offset they may hold within {@link Integer#MAX_VALUE} of the group's base offset, so
 *       that it fits the 32-bit relative offsets of the batch and index formats.</li>
 * </ul>
 * A segment always makes a group on its own, whatever its size. Stateless.
 */
final class SegmentGroups {
    private SegmentGroups() {
    }

    static List<List<SegmentView>> group(List<SegmentView> segments, int maxBytes, int maxIndexBytes) {
        List<List<SegmentView>> groups = new ArrayList<>();
        int i = 0;
        while (i < segments.size()) {
            SegmentView first = segments.get(i);
            List<SegmentView> group = new ArrayList<>();
            group.add(first);
            long bytes = first.size();
            long offsetEntries = first.segment().offsetIndex().entries();
            long timeEntries = first.segment().timeIndex().entries();
            int next = i + 1;
            while (next < segments.size()) {
                SegmentView candidate = segments.get(next);
                int count = group.size() + 1;
                long newOffsetEntries = offsetEntries + candidate.segment().offsetIndex().entries();
                long newTimeEntries = timeEntries + candidate.segment().timeIndex().entries();
                boolean fits = bytes + candidate.size() <= maxBytes
                    && (newOffsetEntries + count) * OffsetIndex.ENTRY_SIZE <= maxIndexBytes
                    && (newTimeEntries + count + 2) * TimeIndex.ENTRY_SIZE <= maxIndexBytes
                    && candidate.endOffset() - 1 - first.baseOffset() <= Integer.MAX_VALUE;
                if (!fits) {
                    break;
                }
                group.add(candidate);
                bytes += candidate.size();
                offsetEntries = newOffsetEntries;
                timeEntries = newTimeEntries;
                next++;
            }
            groups.add(group);
            i = next;
        }
        return groups;
    }
}
