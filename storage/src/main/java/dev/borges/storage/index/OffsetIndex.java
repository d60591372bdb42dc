package dev.borges.storage.index;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * The sparse offset index of a segment ({@code <base offset>.index}): every
 * {@code index.interval.bytes} of log, an entry mapping the last offset of a batch to the byte
 * position where that batch starts, so a read finds its starting batch with a binary search and a
 * short scan instead of reading the segment from the start.
 *
 * <pre>
 * entry (8 bytes): relative offset int32 (offset - base offset) | position int32
 * </pre>
 * Entries strictly increase in offset and position.
 */
public final class OffsetIndex extends AbstractIndex {
    public static final int ENTRY_SIZE = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexSize) throws IOException {
        super(file, baseOffset, maxIndexSize, ENTRY_SIZE);
    }

    /** Adds an entry; offsets must increase and fit in 32 bits relative to the base offset. */
    public void append(long offset, int position) {
        withLock(() -> {
            long relative = offset - baseOffset;
            if (relative < 0 || relative > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Offset " + offset + " does not fit in index " + file() + " based at " + baseOffset);
            }
            if (entries() > 0 && offset <= lastOffset()) {
                throw new IllegalArgumentException("Offset " + offset + " is not after the last indexed offset " + lastOffset()
                    + " in " + file());
            }
            MappedByteBuffer buffer = bufferForAppend();
            buffer.putInt((int) relative);
            buffer.putInt(position);
            entryAppended();
        });
    }

    /**
     * The entry with the largest offset at most {@code targetOffset}; (base offset, 0) if none,
     * which is where a scan for the target must start.
     */
    public OffsetPosition lookup(long targetOffset) {
        return withLock(() -> {
            int n = largestEntryAtMost(targetOffset - baseOffset);
            return n < 0 ? new OffsetPosition(baseOffset, 0) : entry(n);
        });
    }

    public OffsetPosition entry(int n) {
        return withLock(() -> new OffsetPosition(baseOffset + buffer().getInt(n * ENTRY_SIZE), buffer().getInt(n * ENTRY_SIZE + 4)));
    }

    /** The last indexed offset, or the base offset if there are no entries. */
    public long lastOffset() {
        return withLock(() -> entries() == 0 ? baseOffset : baseOffset + buffer().getInt((entries() - 1) * ENTRY_SIZE));
    }

    /** Removes the entries for offsets at or above {@code offset}. */
    public void truncateTo(long offset) {
        withLock(() -> truncateToEntries(smallestEntryAtLeast(offset - baseOffset)));
    }

    /** Entries must increase in offset and position; a file that breaks this is rebuilt. */
    public void sanityCheck() {
        withLock(() -> {
            long previousOffset = -1;
            int previousPosition = -1;
            for (int n = 0; n < entries(); n++) {
                OffsetPosition entry = entry(n);
                if (entry.offset() <= previousOffset || entry.position() <= previousPosition || entry.offset() < baseOffset) {
                    throw new CorruptIndexException("Offset index " + file() + " entry " + n + " " + entry + " does not increase");
                }
                previousOffset = entry.offset();
                previousPosition = entry.position();
            }
        });
    }

    @Override
    protected long keyAt(int n) {
        return buffer().getInt(n * ENTRY_SIZE);
    }
}
