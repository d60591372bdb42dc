package dev.borges.storage.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A memory-mapped file of fixed-size entries sorted by a key that grows with each append: the
 * base of {@link OffsetIndex} and {@link TimeIndex}. Lookups are binary searches for the last entry
 * whose key is at most the target.
 *
 * <p>An index is created at its maximum size ({@code segment.index.bytes}) so appends never remap;
 * {@link #trimToValidSize()} shrinks the file to its entries when the segment is closed. When an
 * existing file is opened its length decides the entry count, which is why a segment's index is
 * rebuilt rather than trusted after an unclean shutdown.
 *
 * <p>Threading: appends come from the log's append lock; lookups from any thread. A lock guards
 * the mapped buffer (its position and the remap on resize).
 */
abstract class AbstractIndex implements Closeable {
    private final ReentrantLock lock = new ReentrantLock();
    private final int entrySize;
    protected final long baseOffset;
    private volatile Path file;
    private MappedByteBuffer mmap;
    private int maxEntries;
    private volatile int entries;

    AbstractIndex(Path file, long baseOffset, int maxIndexSize, int entrySize) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        // An existing empty file is a closed segment's index without entries: keep it empty.
        boolean exists = Files.exists(file);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            long existingLength = raf.length();
            if (!exists) {
                raf.setLength(roundDown(maxIndexSize));
            }
            long length = Math.max(raf.length(), exists ? existingLength : 0);
            this.mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, length);
            this.entries = exists ? (int) (existingLength / entrySize) : 0;
            this.maxEntries = (int) (length / entrySize);
        }
        mmap.position(entries * entrySize);
    }

    public Path file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    public int entries() {
        return entries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** No room for another regular append: the segment must roll. */
    public boolean isFull() {
        return entries >= maxEntries;
    }

    /** No room at all, not even for an entry a closing segment may still add. */
    protected final boolean atCapacity() {
        return entries >= maxEntries;
    }

    public int sizeInBytes() {
        return entries * entrySize;
    }

    /** Grows or shrinks the file (and mapping) to {@code newSize} bytes, rounded down to whole entries. */
    public void resize(int newSize) throws IOException {
        lock.lock();
        try {
            int rounded = roundDown(newSize);
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
                raf.setLength(rounded);
                mmap = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, rounded);
            }
            maxEntries = rounded / entrySize;
            entries = Math.min(entries, maxEntries);
            mmap.position(entries * entrySize);
        } finally {
            lock.unlock();
        }
    }

    /** Shrinks the file to its entries; done when the segment stops being the active one. */
    public void trimToValidSize() throws IOException {
        resize(sizeInBytes());
    }

    /** Makes room again after {@link #trimToValidSize()} (a truncated log's segment becomes active again). */
    public void growTo(int maxIndexSize) throws IOException {
        if (roundDown(maxIndexSize) > maxEntries * entrySize) {
            resize(maxIndexSize);
        }
    }

    public void flush() {
        lock.lock();
        try {
            mmap.force();
        } finally {
            lock.unlock();
        }
    }

    /** Removes every entry. */
    public void reset() {
        truncateToEntries(0);
    }

    public void renameTo(Path target) throws IOException {
        lock.lock();
        try {
            if (Files.exists(file)) {
                Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            file = target;
        } finally {
            lock.unlock();
        }
    }

    public boolean deleteIfExists() throws IOException {
        return Files.deleteIfExists(file);
    }

    @Override
    public void close() throws IOException {
        trimToValidSize();
    }

    // ---- for subclasses -------------------------------------------------------------------------

    protected final void withLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    protected final <T> T withLock(java.util.function.Supplier<T> action) {
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /** Appends one entry; the caller holds the lock and has checked ordering and capacity. */
    protected final MappedByteBuffer bufferForAppend() {
        if (entries >= maxEntries) {
            throw new IllegalStateException("Index " + file + " is full (" + entries + " entries)");
        }
        return mmap;
    }

    protected final void entryAppended() {
        entries++;
    }

    protected final MappedByteBuffer buffer() {
        return mmap;
    }

    protected final int entrySize() {
        return entrySize;
    }

    protected final void truncateToEntries(int count) {
        withLock(() -> {
            entries = count;
            mmap.position(count * entrySize);
        });
    }

    /**
     * Index of the last entry whose key is at most {@code target}, or -1 if the first entry's key
     * is already larger (or there are no entries). Caller holds the lock.
     */
    protected final int largestEntryAtMost(long target) {
        int low = 0;
        int high = entries - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long key = keyAt(mid);
            if (key <= target) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }

    /** Index of the first entry whose key is at least {@code target}, or {@code entries} if none. */
    protected final int smallestEntryAtLeast(long target) {
        int low = 0;
        int high = entries - 1;
        int found = entries;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyAt(mid) >= target) {
                found = mid;
                high = mid - 1;
            } else {
                low = mid + 1;
            }
        }
        return found;
    }

    /** The search key of entry {@code n}. */
    protected abstract long keyAt(int n);

    private int roundDown(int size) {
        return size - size % entrySize;
    }
}
