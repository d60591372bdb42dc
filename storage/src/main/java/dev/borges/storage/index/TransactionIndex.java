package dev.borges.storage.index;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A segment's aborted-transaction index, {@code <base offset, 20 digits>.txnindex}: every
 * transaction whose ABORT marker is in the segment (and that wrote data to the partition), in
 * marker order. A {@code read_committed} fetch returns the aborted transactions overlapping the
 * records it sends, so the consumer can drop their records; the cleaner uses it to find the records
 * of aborted transactions to remove.
 *
 * <p>The file is an array of 34-byte entries, big-endian, with the layout of Kafka's
 * {@code .txnindex}, so tools that read Kafka's logs read these:
 * <pre>
 * offset size field             meaning
 *  0     2    version           0
 *  2     8    producerId        the producer whose transaction was aborted
 * 10     8    firstOffset       offset of the transaction's first record on this partition
 * 18     8    lastOffset        offset of the ABORT marker; strictly increasing along the file
 * 26     8    lastStableOffset  the last stable offset right after the marker ({@link AbortedTxn})
 * </pre>
 * There is no header and no checksum: after an unclean shutdown the index of every recovered
 * segment is rebuilt from the log, and one that fails {@link #sanityCheck()} is rebuilt too.
 *
 * <p>Most segments never see an aborted transaction, so the file is created by the first
 * {@link #append}; a missing file is an empty index. Unlike the offset and time indexes it is not
 * memory-mapped or preallocated: entries are few and written through a file channel.
 *
 * <p>Lifecycle: owned by its {@code LogSegment}, renamed, flushed, truncated and deleted with it.
 * Threading: appends, truncation and renames run under the log's append lock; lookups run on any
 * thread and see a prefix of the entries (the size is published after an entry is written). A
 * lookup racing with the segment's deletion sees the entries it read so far.
 */
public final class TransactionIndex implements Closeable {
    public static final int ENTRY_SIZE = 34;
    static final short CURRENT_VERSION = 0;
    /** Entries read per positional read when scanning. */
    private static final int READ_ENTRIES = 128;

    private final long baseOffset;
    private volatile Path file;
    private volatile FileChannel channel;
    /** Bytes of whole entries in the file. */
    private volatile long size;
    /** Marker offset of the last entry, -1 when unknown or empty; read from the file on first need. */
    private long lastOffset = -1L;
    private boolean lastOffsetKnown;

    /** The index at {@code file} for the segment based at {@code baseOffset}; opens the file if it exists. */
    public TransactionIndex(Path file, long baseOffset) throws IOException {
        this.file = file;
        this.baseOffset = baseOffset;
        if (Files.exists(file)) {
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = channel.size();
        }
    }

    public Path file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** Number of entries. */
    public int entries() {
        return (int) (size / ENTRY_SIZE);
    }

    /**
     * Adds an aborted transaction whose marker follows every marker already indexed.
     *
     * @throws IllegalArgumentException if its marker offset does not exceed the last entry's
     */
    public void append(AbortedTxn txn) throws IOException {
        long previous = lastOffset();
        if (txn.lastOffset() <= previous) {
            throw new IllegalArgumentException("Aborted transaction ending at " + txn.lastOffset() + " cannot follow one ending at "
                + previous + " in " + file);
        }
        createIfAbsent();
        ByteBuffer entry = ByteBuffer.allocate(ENTRY_SIZE)
            .putShort(CURRENT_VERSION)
            .putLong(txn.producerId())
            .putLong(txn.firstOffset())
            .putLong(txn.lastOffset())
            .putLong(txn.lastStableOffset())
            .flip();
        long position = size;
        while (entry.hasRemaining()) {
            position += channel.write(entry, position);
        }
        size = position;
        lastOffset = txn.lastOffset();
        lastOffsetKnown = true;
    }

    /**
     * Creates the file, empty, if no entry did: a compacted segment always carries one into its
     * swap, so that a restart can tell its index from an old segment's.
     */
    public void createIfAbsent() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            size = channel.size();
        }
    }

    /** Every entry, in marker order. */
    public List<AbortedTxn> allAbortedTxns() throws IOException {
        List<AbortedTxn> all = new ArrayList<>();
        scan(txn -> {
            all.add(txn);
            return true;
        });
        return all;
    }

    /**
     * The aborted transactions overlapping the offsets {@code [fetchOffset, upperBoundOffset)}: those
     * whose marker is at or after {@code fetchOffset} and whose first offset is below
     * {@code upperBoundOffset}. {@link TxnIndexSearchResult#isComplete()} tells whether later
     * segments could hold more: no, once an entry's last stable offset reaches the upper bound.
     */
    public TxnIndexSearchResult collectAbortedTxns(long fetchOffset, long upperBoundOffset) throws IOException {
        List<AbortedTxn> found = new ArrayList<>();
        boolean[] complete = {false};
        scan(txn -> {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                found.add(txn);
            }
            if (txn.lastStableOffset() >= upperBoundOffset) {
                complete[0] = true;
                return false;
            }
            return true;
        });
        return new TxnIndexSearchResult(found, complete[0]);
    }

    /** Removes the entries whose marker is at or after {@code offset}, when the log is cut there. */
    public void truncateTo(long offset) throws IOException {
        long[] keep = {0};
        long[] last = {-1L};
        scan(txn -> {
            if (txn.lastOffset() >= offset) {
                return false;
            }
            keep[0] += ENTRY_SIZE;
            last[0] = txn.lastOffset();
            return true;
        });
        truncateToBytes(keep[0]);
        lastOffset = last[0];
        lastOffsetKnown = true;
    }

    /** Removes every entry, before the index is rebuilt. */
    public void reset() throws IOException {
        truncateToBytes(0);
        lastOffset = -1L;
        lastOffsetKnown = true;
    }

    private void truncateToBytes(long bytes) throws IOException {
        if (channel == null) {
            return;
        }
        size = bytes; // published first, so a concurrent lookup never reads what is being cut
        channel.truncate(bytes);
    }

    /**
     * Checks that the file holds whole entries of a known version, each ending in this segment
     * after the previous one, and none ending before its start.
     *
     * @throws CorruptIndexException if not; the segment then rebuilds the index from the log
     */
    public void sanityCheck() {
        if (channel == null) {
            return;
        }
        try {
            long length = channel.size();
            if (length % ENTRY_SIZE != 0) {
                throw new CorruptIndexException("Transaction index " + file + " has " + length + " bytes, not a multiple of "
                    + ENTRY_SIZE);
            }
            long[] previous = {baseOffset - 1};
            scan(txn -> {
                if (txn.lastOffset() <= previous[0]) {
                    throw new CorruptIndexException("Transaction index " + file + " has an entry ending at " + txn.lastOffset()
                        + " after one ending at " + previous[0] + " (segment base " + baseOffset + ")");
                }
                previous[0] = txn.lastOffset();
                return true;
            });
        } catch (IOException e) {
            throw new CorruptIndexException("Transaction index " + file + " cannot be read: " + e);
        } catch (IllegalArgumentException e) {
            throw new CorruptIndexException("Transaction index " + file + " has an invalid entry: " + e.getMessage());
        }
    }

    public void flush() throws IOException {
        FileChannel current = channel;
        if (current != null) {
            current.force(true);
        }
    }

    /** Renames the file (if it exists yet) to {@code target}; later appends create it there. */
    public void renameTo(Path target) throws IOException {
        if (Files.exists(file)) {
            Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        }
        file = target;
    }

    @Override
    public void close() throws IOException {
        FileChannel current = channel;
        if (current != null) {
            current.close();
        }
    }

    public boolean deleteIfExists() throws IOException {
        close();
        return Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return "TransactionIndex(" + file.getFileName() + ", entries=" + entries() + ")";
    }

    private long lastOffset() throws IOException {
        if (!lastOffsetKnown) {
            long[] last = {-1L};
            scan(txn -> {
                last[0] = txn.lastOffset();
                return true;
            });
            lastOffset = last[0];
            lastOffsetKnown = true;
        }
        return lastOffset;
    }

    /** What a scan does with each entry; false stops it. */
    @FunctionalInterface
    private interface EntryVisitor {
        boolean visit(AbortedTxn txn);
    }

    /** Visits the entries in file order, reading them in chunks. */
    private void scan(EntryVisitor visitor) throws IOException {
        FileChannel current = channel;
        long end = size;
        if (current == null || end == 0) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(end, (long) READ_ENTRIES * ENTRY_SIZE));
        long position = 0;
        try {
            while (position < end) {
                buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
                while (buffer.hasRemaining()) {
                    int read = current.read(buffer, position + buffer.position());
                    if (read < 0) {
                        return; // truncated meanwhile: what was read is all there is
                    }
                }
                buffer.flip();
                while (buffer.remaining() >= ENTRY_SIZE) {
                    if (!visitor.visit(readEntry(buffer, position + buffer.position()))) {
                        return;
                    }
                }
                position += buffer.limit();
            }
        } catch (ClosedChannelException e) {
            // The segment was deleted under a reader: it has nothing more to say.
        }
    }

    private AbortedTxn readEntry(ByteBuffer buffer, long position) {
        short version = buffer.getShort();
        if (version != CURRENT_VERSION) {
            throw new CorruptIndexException("Transaction index " + file + " has an entry of version " + version + " at byte " + position);
        }
        return new AbortedTxn(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    }
}
