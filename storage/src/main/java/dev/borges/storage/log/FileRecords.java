package dev.borges.storage.log;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.Records;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Record batches in a file: a segment's {@code .log} file, or a slice of one handed to a fetch.
 * Bytes are stored exactly as received; a slice can be sent to a socket with
 * {@link #transferTo} ({@code FileChannel.transferTo}, zero-copy from the page cache) or, by a
 * network layer, as a file region over {@link #channel()} from {@link #start()}.
 *
 * <p>Appends happen under the owning log's append lock; slices and reads may be taken from any
 * thread: a slice is fixed at creation and never sees later appends or truncation beyond it.
 */
public final class FileRecords implements Records, Closeable {
    private final boolean isSlice;
    private final int start;
    private final int end;
    private final AtomicInteger size;
    private volatile Path file;
    private final FileChannel channel;

    private FileRecords(Path file, FileChannel channel, int start, int end, boolean isSlice) throws IOException {
        this.file = file;
        this.channel = channel;
        this.start = start;
        this.end = end;
        this.isSlice = isSlice;
        this.size = new AtomicInteger(isSlice ? end - start : (int) Math.min(channel.size(), Integer.MAX_VALUE));
    }

    /** Opens (creating if absent) a whole log file for reading and appending at its end. */
    public static FileRecords open(Path file) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        if (channel.size() > Integer.MAX_VALUE) {
            channel.close();
            throw new IOException("Log file " + file + " is larger than 2 GiB");
        }
        return new FileRecords(file, channel, 0, Integer.MAX_VALUE, false);
    }

    public Path file() {
        return file;
    }

    public FileChannel channel() {
        return channel;
    }

    /** Position of this view's first byte in the file. */
    public int start() {
        return start;
    }

    @Override
    public int sizeInBytes() {
        return size.get();
    }

    /**
     * Appends batches at the end of the file, writing every byte.
     *
     * @return the number of bytes written
     */
    public int append(MemoryRecords records) throws IOException {
        if (isSlice) {
            throw new IllegalStateException("Cannot append to a slice of " + file);
        }
        ByteBuffer buffer = records.buffer();
        int written = buffer.remaining();
        long position = size.get();
        while (buffer.hasRemaining()) {
            position += channel.write(buffer, position);
        }
        size.addAndGet(written);
        return written;
    }

    /** A view of {@code length} bytes from {@code position} (relative to this view), clipped to the end. */
    public FileRecords slice(int position, int length) throws IOException {
        int available = sizeInBytes() - position;
        if (position < 0 || available < 0) {
            throw new IllegalArgumentException("Slice at " + position + " is outside " + file + " of " + sizeInBytes() + " bytes");
        }
        int sliceStart = start + position;
        return new FileRecords(file, channel, sliceStart, sliceStart + Math.min(length, available), true);
    }

    /** Sends up to {@code count} bytes from {@code position} (relative to this view) to {@code destination}. */
    public long transferTo(WritableByteChannel destination, long position, long count) throws IOException {
        long bytes = Math.min(count, sizeInBytes() - position);
        return channel.transferTo(start + position, bytes, destination);
    }

    @Override
    public void copyTo(ByteBuffer destination) {
        try {
            readInto(destination, 0, sizeInBytes());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Reads {@code length} bytes at {@code position} (relative to this view) into {@code destination}. */
    public void readInto(ByteBuffer destination, int position, int length) throws IOException {
        ByteBuffer target = destination.duplicate();
        target.limit(target.position() + length);
        long at = start + position;
        while (target.hasRemaining()) {
            int read = channel.read(target, at);
            if (read < 0) {
                throw new EOFException("End of " + file + " at byte " + at);
            }
            at += read;
        }
        destination.position(destination.position() + length);
    }

    /**
     * Reads the whole batch that starts at {@code position} into memory, or returns null if no
     * complete batch starts there (end of file, or a torn tail).
     *
     * @throws CorruptRecordException if the bytes there cannot be a batch (bad length or magic)
     */
    public RecordBatch readBatch(int position) throws IOException {
        BatchHeader header = readHeader(position);
        if (header == null) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(header.sizeInBytes());
        readInto(buffer, position, header.sizeInBytes());
        return RecordBatch.wrap(buffer.flip());
    }

    /**
     * The fields of the batch header at {@code position} needed to walk and search the log, read
     * without the records; null if fewer bytes than a whole batch remain.
     *
     * @throws CorruptRecordException if the length or magic cannot belong to a batch
     */
    public BatchHeader readHeader(int position) throws IOException {
        if (sizeInBytes() - position < RecordBatch.HEADER_SIZE) {
            return null;
        }
        ByteBuffer buffer = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        readInto(buffer, position, RecordBatch.HEADER_SIZE);
        BatchHeader header = BatchHeader.parse(buffer.flip(), position);
        return header.sizeInBytes() > sizeInBytes() - position ? null : header;
    }

    public void flush() throws IOException {
        channel.force(true);
    }

    /** Cuts the file to {@code newSize} bytes; returns how many were removed. */
    public int truncateTo(int newSize) throws IOException {
        int original = sizeInBytes();
        if (newSize > original || newSize < 0) {
            throw new IllegalArgumentException("Cannot truncate " + file + " of " + original + " bytes to " + newSize);
        }
        if (newSize < channel.size()) {
            channel.truncate(newSize);
        }
        size.set(newSize);
        return original - newSize;
    }

    public void renameTo(Path target) throws IOException {
        Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    public boolean deleteIfExists() throws IOException {
        if (channel.isOpen()) {
            channel.close();
        }
        return Files.deleteIfExists(file);
    }

    @Override
    public String toString() {
        return "FileRecords(" + file.getFileName() + ", start=" + start + ", size=" + sizeInBytes() + ")";
    }
}
