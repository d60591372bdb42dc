package dev.borges.protocol.compress;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.xerial.snappy.SnappyError;

/**
 * Wraps a third-party decompressor so that everything it throws on bad input surfaces as an
 * {@link IOException}. Codecs do not agree on how they fail: snappy-java throws {@link SnappyError}
 * (an {@code Error}) for impossible chunk sizes, lz4-java and zstd-jni throw unchecked exceptions
 * from some paths. Callers then need one catch clause to turn a corrupt stream into a
 * {@code CorruptRecordException}. Resource exhaustion ({@code VirtualMachineError}) is not caught.
 * Not thread-safe, like the stream it wraps.
 */
final class CodecErrorTranslatingInputStream extends FilterInputStream {
    private final String codec;

    CodecErrorTranslatingInputStream(InputStream in, String codec) {
        super(in);
        this.codec = codec;
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (RuntimeException | SnappyError e) {
            throw translated(e);
        }
    }

    @Override
    public int read(byte[] destination, int offset, int length) throws IOException {
        try {
            return in.read(destination, offset, length);
        } catch (RuntimeException | SnappyError e) {
            throw translated(e);
        }
    }

    @Override
    public long skip(long count) throws IOException {
        try {
            return in.skip(count);
        } catch (RuntimeException | SnappyError e) {
            throw translated(e);
        }
    }

    @Override
    public int available() throws IOException {
        try {
            return in.available();
        } catch (RuntimeException | SnappyError e) {
            throw translated(e);
        }
    }

    private IOException translated(Throwable failure) {
        return new IOException(codec + " decompression failed: " + failure.getMessage(), failure);
    }
}
