package dev.borges.broker.network;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Records;
import dev.borges.protocol.types.ProtocolWriter;
import dev.borges.storage.log.FileRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link ProtocolWriter} that turns a message into the parts Netty sends: bytes go into a
 * {@link ByteBuf}; {@link FileRecords} become a {@link SharedFileRegion} between two buffers, so that
 * log segment bytes go from the page cache to the socket without being copied into the heap
 * (zero-copy). {@link MemoryRecords} and other records are copied into the buffer.
 *
 * <pre>
 * Fetch response:  [ByteBuf: size, header, fields ...][FileRegion: batches][ByteBuf: fields ...][FileRegion]...
 * </pre>
 *
 * <p>Lifecycle: write the message, then {@link #finish()} hands over the parts (the caller then owns
 * them); on failure {@link #release()} frees what was written. Not thread-safe; used on one event loop.
 */
final class ByteBufProtocolWriter implements ProtocolWriter {
    private static final int MAX_INITIAL_CAPACITY = 64 * 1024;
    private static final int CAPACITY_AFTER_REGION = 256;

    private final ByteBufAllocator allocator;
    private final List<Object> parts = new ArrayList<>();
    private ByteBuf current;
    private long bytesInParts;

    /** @param expectedBytes the message's size: the first buffer's capacity, up to a cap (file records are not copied) */
    ByteBufProtocolWriter(ByteBufAllocator allocator, int expectedBytes) {
        this.allocator = allocator;
        this.current = allocator.buffer(Math.min(Math.max(expectedBytes, 0), MAX_INITIAL_CAPACITY));
    }

    @Override
    public void writeByte(byte value) {
        current.writeByte(value);
    }

    @Override
    public void writeShort(short value) {
        current.writeShort(value);
    }

    @Override
    public void writeInt(int value) {
        current.writeInt(value);
    }

    @Override
    public void writeLong(long value) {
        current.writeLong(value);
    }

    @Override
    public void writeDouble(double value) {
        current.writeDouble(value);
    }

    @Override
    public void writeUnsignedVarint(int value) {
        int remaining = value;
        while ((remaining & ~0x7F) != 0) {
            current.writeByte((remaining & 0x7F) | 0x80);
            remaining >>>= 7;
        }
        current.writeByte(remaining);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        current.writeBytes(bytes);
    }

    @Override
    public void writeBytes(ByteBuffer bytes) {
        current.writeBytes(bytes.duplicate());
    }

    @Override
    public void writeRecords(Records records) {
        if (records instanceof FileRecords file) {
            writeFileRegion(file);
        } else if (records instanceof MemoryRecords memory) {
            current.writeBytes(memory.buffer());
        } else {
            int size = records.sizeInBytes();
            current.ensureWritable(size);
            records.copyTo(current.nioBuffer(current.writerIndex(), size));
            current.writerIndex(current.writerIndex() + size);
        }
    }

    private void writeFileRegion(FileRecords file) {
        int size = file.sizeInBytes();
        if (size == 0) {
            return;
        }
        endCurrentBuffer();
        parts.add(new SharedFileRegion(file.channel(), file.start(), size));
        bytesInParts += size;
        current = allocator.buffer(CAPACITY_AFTER_REGION);
    }

    private void endCurrentBuffer() {
        if (current.isReadable()) {
            parts.add(current);
            bytesInParts += current.readableBytes();
        } else {
            current.release();
        }
        current = null;
    }

    /** Bytes written so far, in buffers and file regions. */
    long bytesWritten() {
        return bytesInParts + (current == null ? 0 : current.readableBytes());
    }

    /** The parts in send order; ownership passes to the caller, and this writer is done. */
    List<Object> finish() {
        endCurrentBuffer();
        return parts;
    }

    /** Frees every part written so far; this writer is done. */
    void release() {
        if (current != null) {
            current.release();
            current = null;
        }
        parts.forEach(ReferenceCountUtil::safeRelease);
        parts.clear();
    }
}
