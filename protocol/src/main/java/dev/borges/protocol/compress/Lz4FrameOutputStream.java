package dev.borges.protocol.compress;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Compresses into one {@link Lz4Frame LZ4 frame} the way Kafka's producers do: 64 KiB independent
 * blocks, no block checksums, a block stored raw when LZ4 does not shrink it, and (optionally) a
 * content checksum, which Kafka itself never writes. The header is written on construction, the
 * end mark (and content checksum) on {@link #close()}, which also closes the destination.
 * Not thread-safe; one stream per batch being built.
 */
final class Lz4FrameOutputStream extends OutputStream {
    private static final LZ4Compressor COMPRESSOR = LZ4Factory.fastestInstance().fastCompressor();
    private static final int BLOCK_SIZE = Lz4Frame.maxBlockSize(Lz4Frame.BLOCK_SIZE_ID_64_KIB);

    private final OutputStream out;
    private final StreamingXXHash32 contentChecksum;
    private final byte[] block = new byte[BLOCK_SIZE];
    private final byte[] compressed = new byte[COMPRESSOR.maxCompressedLength(BLOCK_SIZE)];
    private final byte[] intBytes = new byte[4];
    private int blockLength;
    private boolean closed;

    /**
     * @param out receives the frame
     * @param withContentChecksum whether to end the frame with an xxhash32 of the whole content
     */
    Lz4FrameOutputStream(OutputStream out, boolean withContentChecksum) throws IOException {
        this.out = out;
        this.contentChecksum = withContentChecksum ? XXHashFactory.fastestInstance().newStreamingHash32(0) : null;
        writeHeader();
    }

    private void writeHeader() throws IOException {
        int flg = Lz4Frame.FLG_VERSION_1 | Lz4Frame.FLG_BLOCK_INDEPENDENCE;
        if (contentChecksum != null) {
            flg |= Lz4Frame.FLG_CONTENT_CHECKSUM;
        }
        byte[] header = new byte[Lz4Frame.MAGIC_SIZE + 3];
        writeIntLittleEndian(Lz4Frame.MAGIC, header, 0);
        header[4] = (byte) flg;
        header[5] = (byte) (Lz4Frame.BLOCK_SIZE_ID_64_KIB << Lz4Frame.BD_BLOCK_SIZE_ID_SHIFT);
        header[6] = Lz4Frame.headerChecksum(header, Lz4Frame.MAGIC_SIZE, 2);
        out.write(header);
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (blockLength == BLOCK_SIZE) {
            writeBlock();
        }
        block[blockLength++] = (byte) b;
    }

    @Override
    public void write(byte[] source, int offset, int length) throws IOException {
        ensureOpen();
        Objects.checkFromIndexSize(offset, length, source.length);
        while (length > 0) {
            if (blockLength == BLOCK_SIZE) {
                writeBlock();
            }
            int count = Math.min(length, BLOCK_SIZE - blockLength);
            System.arraycopy(source, offset, block, blockLength, count);
            blockLength += count;
            offset += count;
            length -= count;
        }
    }

    /** Ends the current block early (the format allows short blocks) and flushes the destination. */
    @Override
    public void flush() throws IOException {
        if (!closed) {
            writeBlock();
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            writeBlock();
            writeInt(Lz4Frame.END_MARK);
            if (contentChecksum != null) {
                writeInt(contentChecksum.getValue());
            }
        } finally {
            closed = true;
            out.close();
        }
    }

    private void writeBlock() throws IOException {
        if (blockLength == 0) {
            return;
        }
        if (contentChecksum != null) {
            contentChecksum.update(block, 0, blockLength);
        }
        int compressedLength = COMPRESSOR.compress(block, 0, blockLength, compressed, 0, compressed.length);
        if (compressedLength < blockLength) {
            writeInt(compressedLength);
            out.write(compressed, 0, compressedLength);
        } else {
            writeInt(blockLength | Lz4Frame.UNCOMPRESSED_BLOCK_FLAG);
            out.write(block, 0, blockLength);
        }
        blockLength = 0;
    }

    private void writeInt(int value) throws IOException {
        writeIntLittleEndian(value, intBytes, 0);
        out.write(intBytes);
    }

    private static void writeIntLittleEndian(int value, byte[] destination, int offset) {
        destination[offset] = (byte) value;
        destination[offset + 1] = (byte) (value >>> 8);
        destination[offset + 2] = (byte) (value >>> 16);
        destination[offset + 3] = (byte) (value >>> 24);
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("LZ4 frame stream is closed");
        }
    }
}
