package dev.borges.storage.index;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The time index of a segment ({@code <base offset>.timeindex}): entries mapping the largest
 * timestamp seen so far to the offset of the record that carried it, appended only when the
 * timestamp grows. An entry (T, O) says every record before offset O has a timestamp of at most T,
 * so a search for the first record at or after time t may start scanning at O.
 *
 * <pre>
 * entry (12 bytes): timestamp int64 | relative offset int32 (offset - base offset)
 * </pre>
 */
public final class TimeIndex extends AbstractIndex {
    public static final int ENTRY_SIZE = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    /**
     * One slot stays free for the entry a segment adds when it closes ({@link #maybeAppend} with
     * {@code skipFullCheck}), so its final maximum timestamp is always recorded.
     */
    @Override
    public boolean isFull() {
        return entries() >= maxEntries() - 1;
    }

    /**
     * Adds an entry if {@code timestamp} is larger than the last one's. {@code skipFullCheck} lets a
     * closing segment record its final maximum into the reserved last slot.
     */
    public void maybeAppend(long timestamp, long offset, boolean skipFullCheck) {
        withLock(() -> {
            if (entries() > 0) {
                TimestampOffset last = entry(entries() - 1);
                if (timestamp <= last.timestamp()) {
                    return;
                }
                if (offset < last.offset()) {
                    throw new IllegalArgumentException("Offset " + offset + " is before the last time-indexed offset "
                        + last.offset() + " in " + file());
                }
            }
            if (atCapacity()) {
                return; // entries are hints for lookups; without room, lookups scan a little further
            }
            if (isFull() && !skipFullCheck) {
                throw new IllegalStateException("Time index " + file() + " is full (" + entries() + " entries)");
            }
            long relative = offset - baseOffset;
            if (relative < 0 || relative > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Offset " + offset + " does not fit in index " + file() + " based at " + baseOffset);
            }
            MappedByteBuffer buffer = bufferForAppend();
            buffer.putLong(timestamp);
            buffer.putInt((int) relative);
            entryAppended();
        });
    }

    /**
     * The entry with the largest timestamp at most {@code targetTimestamp}; (-1, base offset) if
     * none: a scan for records at or after the target starts at the returned offset.
     */
    public TimestampOffset lookup(long targetTimestamp) {
        return withLock(() -> {
            int n = largestEntryAtMost(targetTimestamp);
            return n < 0 ? new TimestampOffset(-1L, baseOffset) : entry(n);
        });
    }

    public TimestampOffset entry(int n) {
        return withLock(() -> new TimestampOffset(buffer().getLong(n * ENTRY_SIZE), baseOffset + buffer().getInt(n * ENTRY_SIZE + 8)));
    }

    /** The last entry, or (-1, base offset) when empty. */
    public TimestampOffset lastEntry() {
        return withLock(() -> entries() == 0 ? new TimestampOffset(-1L, baseOffset) : entry(entries() - 1));
    }

    /** Removes the entries for offsets at or above {@code offset}. */
    public void truncateTo(long offset) {
        withLock(() -> {
            int keep = 0;
            while (keep < entries() && entry(keep).offset() < offset) {
                keep++;
            }
            truncateToEntries(keep);
        });
    }

    public void sanityCheck() {
        withLock(() -> {
            TimestampOffset previous = null;
            for (int n = 0; n < entries(); n++) {
                TimestampOffset entry = entry(n);
                if (entry.offset() < baseOffset || previous != null
                    && (entry.timestamp() <= previous.timestamp() || entry.offset() < previous.offset())) {
                    throw new CorruptIndexException("Time index " + file() + " entry " + n + " " + entry + " does not increase");
                }
                previous = entry;
            }
        });
    }

    @Override
    protected long keyAt(int n) {
        return buffer().getLong(n * ENTRY_SIZE);
    }
}
