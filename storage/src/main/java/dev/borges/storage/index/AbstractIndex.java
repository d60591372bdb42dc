package dev.borges.storage.index;

import java.io.Closeable;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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
 * <p>Appends go through the mapping, but each page is first written once through the file (zeros
 * from the append position to the end of the page, see {@link #bufferForAppend()}), so the store
 * into the mapping finds the page already in the page cache. A store that faults on a page the
 * cache does not hold makes the kernel read around the fault ({@code read_ahead_kb} of the device,
 * 8 MiB on some machines): for a preallocated, still sparse index that fills up to 8 MiB of page
 * cache with zeros and costs milliseconds per fault, and with thousands of partitions (two indexes
 * each) it stalled every append. The write through the file costs one system call per page of
 * entries, fills just that page, and reports a full disk as an {@code IOException} where a store
 * into an unbacked mapped page would kill the process with {@code SIGBUS}. The zeros only ever
 * land beyond the valid entries, where the preallocated file holds zeros anyway.
 *
 * <p>Threading: appends come from the log's append lock; lookups from any thread. A lock guards
 * the mapped buffer (its position and the remap on resize).
 */
abstract class AbstractIndex implements Closeable {
    /** The unit in which pages are brought into the page cache before appends touch them. */
    private static final int PAGE_BYTES = 4096;
    /** Zeros to write; shared read-only, each write uses its own duplicate. */
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(PAGE_BYTES).asReadOnlyBuffer();

    private final ReentrantLock lock = new ReentrantLock();
    private final int entrySize;
    protected final long baseOffset;
    private volatile Path file;
    private MappedByteBuffer mmap;
    private int maxEntries;
    private volatile int entries;
    /** File bytes below this were written through the file by this instance; appends below it need no write first. */
    private int populatedBytes;

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
            populatedBytes = Math.min(populatedBytes, rounded);
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

    /**
     * The mapping, positioned for the next entry, whose page is in the page cache; the caller holds
     * the lock and has checked ordering and capacity.
     *
     * @throws UncheckedIOException if the page cannot be written (the log goes offline)
     */
    protected final MappedByteBuffer bufferForAppend() {
        if (entries >= maxEntries) {
            throw new IllegalStateException("Index " + file + " is full (" + entries + " entries)");
        }
        int position = entries * entrySize;
        if (position + entrySize > populatedBytes) {
            populate(position, position + entrySize);
        }
        return mmap;
    }

    /**
     * Writes zeros through the file from {@code from} (the next entry's position: everything before
     * it stays as it is) to the end of the page holding byte {@code end - 1}, so those pages are in
     * the page cache before a store into the mapping touches them (see the class comment).
     */
    private void populate(int from, int end) {
        int to = Math.min((end + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES, mmap.capacity());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            int position = from;
            while (position < to) {
                ByteBuffer zeros = ZERO_PAGE.duplicate();
                zeros.limit(Math.min(PAGE_BYTES, to - position));
                position += channel.write(zeros, position);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write index " + file, e);
        }
        populatedBytes = to;
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
