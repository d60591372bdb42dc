package dev.borges.storage.log;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The segments of one log, by base offset. Readers on any thread see a consistent map (a
 * concurrent skip list); changes happen under the log's append lock.
 */
public final class LogSegments {
    private final ConcurrentNavigableMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    public void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    public void remove(long baseOffset) {
        segments.remove(baseOffset);
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    public int size() {
        return segments.size();
    }

    /** The segment that takes appends: the one with the highest base offset. */
    public LogSegment active() {
        Map.Entry<Long, LogSegment> last = segments.lastEntry();
        if (last == null) {
            throw new IllegalStateException("The log has no segments");
        }
        return last.getValue();
    }

    public LogSegment first() {
        return segments.firstEntry().getValue();
    }

    /** The segment that would hold {@code offset}: the last one based at or before it. */
    public Optional<LogSegment> floor(long offset) {
        return Optional.ofNullable(segments.floorEntry(offset)).map(Map.Entry::getValue);
    }

    /** The segment after the one based at {@code baseOffset}. */
    public Optional<LogSegment> higher(long baseOffset) {
        return Optional.ofNullable(segments.higherEntry(baseOffset)).map(Map.Entry::getValue);
    }

    public Collection<LogSegment> all() {
        return segments.values();
    }

    /** Segments, oldest first, except the active one. */
    public List<LogSegment> inactive() {
        List<LogSegment> result = new ArrayList<>(segments.values());
        if (!result.isEmpty()) {
            result.remove(result.size() - 1);
        }
        return result;
    }

    /** Segments whose base offset is at or above {@code offset}. */
    public Collection<LogSegment> from(long offset) {
        return segments.tailMap(offset, true).values();
    }

    public long totalSize() {
        long size = 0;
        for (LogSegment segment : segments.values()) {
            size += segment.size();
        }
        return size;
    }
}
