package dev.borges.protocol.compress;

import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An {@link InputStream} over a buffer's remaining bytes, without copying them: the source that
 * decompressors read a batch's compressed records from. Reads from its own duplicate, so the
 * caller's buffer position is never moved. Not thread-safe; one per decompression.
 */
final class ByteBufferInputStream extends InputStream {
    private final ByteBuffer buffer;

    ByteBufferInputStream(ByteBuffer buffer) {
        this.buffer = buffer.duplicate();
    }

    @Override
    public int read() {
        return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] destination, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        if (!buffer.hasRemaining()) {
            return -1;
        }
        int count = Math.min(length, buffer.remaining());
        buffer.get(destination, offset, count);
        return count;
    }

    @Override
    public long skip(long count) {
        int skipped = (int) Math.max(0, Math.min(count, buffer.remaining()));
        buffer.position(buffer.position() + skipped);
        return skipped;
    }

    @Override
    public int available() {
        return buffer.remaining();
    }
}
