package dev.borges.protocol.compress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;
import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decompresses one {@link Lz4Frame LZ4 frame} held in a buffer, block by block, as records are
 * read. Accepts everything Kafka's reader accepts: block sizes 64 KiB to 4 MiB, raw and compressed
 * blocks, optional block checksums, content size and content checksum; it rejects what Kafka
 * rejects (bad magic, version, reserved bits, dependent blocks, header checksum) with an {@link
 * IOException}, as it does any block that claims more bytes than the frame holds or than the block
 * maximum. Memory is bounded by one block of the declared maximum size (at most 4 MiB), allocated
 * on the first compressed block. Raw blocks are served from the input without copying.
 * Not thread-safe; one stream per batch being read.
 */
final class Lz4FrameInputStream extends InputStream {
    private static final LZ4SafeDecompressor DECOMPRESSOR = LZ4Factory.fastestInstance().safeDecompressor();

    private final ByteBuffer in;
    private final int maxBlockSize;
    private final boolean blockChecksums;
    private final StreamingXXHash32 contentChecksum;
    private ByteBuffer decoded = ByteBuffer.allocate(0);
    private byte[] decodeArea;
    private boolean finished;

    /** Reads and checks the frame header; the frame starts at {@code frame}'s position. */
    Lz4FrameInputStream(ByteBuffer frame) throws IOException {
        this.in = frame.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        require(Lz4Frame.MAGIC_SIZE + 3, "frame header");
        int magic = in.getInt();
        if (magic != Lz4Frame.MAGIC) {
            throw new IOException(String.format("Not an LZ4 frame: magic 0x%08X, expected 0x%08X", magic, Lz4Frame.MAGIC));
        }
        int descriptorStart = in.position();
        int flg = in.get() & 0xff;
        int bd = in.get() & 0xff;
        checkDescriptor(flg, bd);
        if ((flg & Lz4Frame.FLG_CONTENT_SIZE) != 0) {
            require(Lz4Frame.CONTENT_SIZE_FIELD_SIZE + 1, "content size");
            in.position(in.position() + Lz4Frame.CONTENT_SIZE_FIELD_SIZE);
        }
        int descriptorLength = in.position() - descriptorStart;
        byte expected = (byte) ((Lz4Frame.XXHASH32.hash(in, descriptorStart, descriptorLength, 0) >> 8) & 0xFF);
        byte stored = in.get();
        if (stored != expected) {
            throw new IOException(String.format("LZ4 frame header checksum is 0x%02X, computed 0x%02X", stored, expected));
        }
        this.maxBlockSize = Lz4Frame.maxBlockSize((bd & Lz4Frame.BD_BLOCK_SIZE_ID_MASK) >>> Lz4Frame.BD_BLOCK_SIZE_ID_SHIFT);
        this.blockChecksums = (flg & Lz4Frame.FLG_BLOCK_CHECKSUM) != 0;
        this.contentChecksum = (flg & Lz4Frame.FLG_CONTENT_CHECKSUM) != 0
                ? XXHashFactory.fastestInstance().newStreamingHash32(0)
                : null;
    }

    private static void checkDescriptor(int flg, int bd) throws IOException {
        if ((flg & Lz4Frame.FLG_VERSION_MASK) != Lz4Frame.FLG_VERSION_1) {
            throw new IOException("LZ4 frame version " + (flg >>> 6) + " is not supported");
        }
        if ((flg & Lz4Frame.FLG_RESERVED) != 0) {
            throw new IOException(String.format("LZ4 frame FLG 0x%02X has reserved bits set", flg));
        }
        if ((flg & Lz4Frame.FLG_BLOCK_INDEPENDENCE) == 0) {
            throw new IOException("LZ4 frames with dependent blocks are not supported");
        }
        int blockSizeId = (bd & Lz4Frame.BD_BLOCK_SIZE_ID_MASK) >>> Lz4Frame.BD_BLOCK_SIZE_ID_SHIFT;
        if ((bd & Lz4Frame.BD_RESERVED) != 0 || blockSizeId < Lz4Frame.MIN_BLOCK_SIZE_ID) {
            throw new IOException(String.format("LZ4 frame BD 0x%02X is invalid", bd));
        }
    }

    @Override
    public int read() throws IOException {
        if (!ensureDecoded()) {
            return -1;
        }
        return decoded.get() & 0xff;
    }

    @Override
    public int read(byte[] destination, int offset, int length) throws IOException {
        Objects.checkFromIndexSize(offset, length, destination.length);
        if (length == 0) {
            return 0;
        }
        if (!ensureDecoded()) {
            return -1;
        }
        int count = Math.min(length, decoded.remaining());
        decoded.get(destination, offset, count);
        return count;
    }

    @Override
    public int available() {
        return decoded.remaining();
    }

    /** Decodes blocks until there are bytes to serve; false at the end of the frame. */
    private boolean ensureDecoded() throws IOException {
        while (!decoded.hasRemaining()) {
            if (finished) {
                return false;
            }
            readBlock();
        }
        return true;
    }

    private void readBlock() throws IOException {
        require(Lz4Frame.BLOCK_SIZE_FIELD_SIZE, "block size");
        int sizeField = in.getInt();
        if (sizeField == Lz4Frame.END_MARK) {
            finish();
            return;
        }
        boolean stored = (sizeField & Lz4Frame.UNCOMPRESSED_BLOCK_FLAG) != 0;
        int size = sizeField & ~Lz4Frame.UNCOMPRESSED_BLOCK_FLAG;
        if (size > maxBlockSize) {
            throw new IOException("LZ4 block of " + size + " bytes exceeds the frame's maximum of " + maxBlockSize);
        }
        require(size + (blockChecksums ? Lz4Frame.CHECKSUM_SIZE : 0), "block of " + size + " bytes");
        int start = in.position();
        if (blockChecksums) {
            int computed = Lz4Frame.XXHASH32.hash(in, start, size, 0);
            int storedChecksum = in.getInt(start + size);
            if (computed != storedChecksum) {
                throw new IOException("LZ4 block checksum mismatch at byte " + start);
            }
        }
        decoded = stored ? in.slice(start, size) : decompress(start, size);
        in.position(start + size + (blockChecksums ? Lz4Frame.CHECKSUM_SIZE : 0));
        if (contentChecksum != null) {
            updateContentChecksum(decoded.duplicate());
        }
    }

    private ByteBuffer decompress(int start, int size) throws IOException {
        if (decodeArea == null) {
            decodeArea = new byte[maxBlockSize];
        }
        ByteBuffer destination = ByteBuffer.wrap(decodeArea);
        try {
            int length = DECOMPRESSOR.decompress(in, start, size, destination, 0, maxBlockSize);
            return ByteBuffer.wrap(decodeArea, 0, length);
        } catch (LZ4Exception e) {
            throw new IOException("Corrupt LZ4 block at byte " + start + ": " + e.getMessage(), e);
        }
    }

    private void updateContentChecksum(ByteBuffer content) {
        if (content.hasArray()) {
            contentChecksum.update(content.array(), content.arrayOffset() + content.position(), content.remaining());
            return;
        }
        byte[] chunk = new byte[Math.min(content.remaining(), 8192)];
        while (content.hasRemaining()) {
            int count = Math.min(chunk.length, content.remaining());
            content.get(chunk, 0, count);
            contentChecksum.update(chunk, 0, count);
        }
    }

    private void finish() throws IOException {
        finished = true;
        if (contentChecksum != null) {
            require(Lz4Frame.CHECKSUM_SIZE, "content checksum");
            int stored = in.getInt();
            if (stored != contentChecksum.getValue()) {
                throw new IOException("LZ4 frame content checksum mismatch");
            }
        }
    }

    private void require(int bytes, String what) throws IOException {
        if (in.remaining() < bytes) {
            throw new IOException("LZ4 frame ends inside the " + what + " at byte " + in.position()
                    + " (" + in.remaining() + " bytes remain)");
        }
    }
}
