package dev.borges.protocol.compress;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.borges.protocol.CorruptRecordException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.xerial.snappy.SnappyError;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

/**
 * The compression codecs of a v2 record batch, by the id stored in attribute bits 0-2, each with
 * the stream formats Kafka's Java clients use, so that batches compressed here decompress there and
 * back:
 *
 * <ul>
 *   <li>{@link #GZIP}: RFC 1952 gzip ({@code java.util.zip}), default level;
 *   <li>{@link #SNAPPY}: snappy-java's xerial framing ({@link XerialSnappyFraming}); raw snappy
 *       (librdkafka) is also read;
 *   <li>{@link #LZ4}: the {@link Lz4Frame LZ4 frame format} with 64 KiB independent blocks;
 *   <li>{@link #ZSTD}: a zstd frame (zstd-jni), level 3.
 * </ul>
 *
 * <p>Streams from {@link #wrapForInput} throw only {@link IOException} for bad input, whatever the
 * codec library does; the record reader turns that into {@link CorruptRecordException}. Stateless;
 * thread-safe. Each stream it returns is not, and must be closed (zstd holds native memory).
 */
public enum CompressionType {
    NONE(0, "none") {
        @Override
        public OutputStream wrapForOutput(OutputStream out) {
            return out;
        }

        @Override
        public InputStream wrapForInput(ByteBuffer compressed) {
            return new ByteBufferInputStream(compressed);
        }
    },
    GZIP(1, "gzip") {
        @Override
        public OutputStream wrapForOutput(OutputStream out) throws IOException {
            return new BufferedOutputStream(new GZIPOutputStream(out, CODEC_BUFFER_SIZE), CODEC_BUFFER_SIZE);
        }

        @Override
        public InputStream wrapForInput(ByteBuffer compressed) throws IOException {
            return buffered(translated(new GZIPInputStream(new ByteBufferInputStream(compressed), CODEC_BUFFER_SIZE)));
        }
    },
    SNAPPY(2, "snappy") {
        @Override
        public OutputStream wrapForOutput(OutputStream out) {
            return new SnappyOutputStream(out);
        }

        @Override
        public InputStream wrapForInput(ByteBuffer compressed) throws IOException {
            XerialSnappyFraming.checkAllocations(compressed);
            try {
                return translated(new SnappyInputStream(new ByteBufferInputStream(compressed)));
            } catch (RuntimeException | SnappyError e) {
                throw new IOException("Invalid snappy stream header: " + e.getMessage(), e);
            }
        }
    },
    LZ4(3, "lz4") {
        @Override
        public OutputStream wrapForOutput(OutputStream out) throws IOException {
            return new Lz4FrameOutputStream(out, false);
        }

        @Override
        public InputStream wrapForInput(ByteBuffer compressed) throws IOException {
            return translated(new Lz4FrameInputStream(compressed));
        }
    },
    ZSTD(4, "zstd") {
        @Override
        public OutputStream wrapForOutput(OutputStream out) throws IOException {
            return new BufferedOutputStream(
                    new ZstdOutputStreamNoFinalizer(out, RecyclingBufferPool.INSTANCE, ZSTD_DEFAULT_LEVEL),
                    CODEC_BUFFER_SIZE);
        }

        @Override
        public InputStream wrapForInput(ByteBuffer compressed) throws IOException {
            return buffered(translated(
                    new ZstdInputStreamNoFinalizer(new ByteBufferInputStream(compressed), RecyclingBufferPool.INSTANCE)));
        }
    };

    /** Attribute bits that hold the codec id. */
    public static final int ATTRIBUTE_MASK = 0x07;

    private static final int CODEC_BUFFER_SIZE = 16 * 1024;
    private static final int ZSTD_DEFAULT_LEVEL = 3;
    private static final CompressionType[] BY_ID = values();

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The id stored in attribute bits 0-2. */
    public int id() {
        return id;
    }

    /** The name Kafka's {@code compression.type} configuration uses for this codec. */
    public String configName() {
        return configName;
    }

    /**
     * The codec with this id.
     *
     * @throws CorruptRecordException for ids 5-7 (or any other), which no Kafka version defines
     */
    public static CompressionType forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new CorruptRecordException("Unknown compression type id " + id);
        }
        return BY_ID[id];
    }

    /**
     * A stream that compresses what is written to it into {@code out}; closing it finishes the
     * compressed format and closes {@code out}.
     */
    public abstract OutputStream wrapForOutput(OutputStream out) throws IOException;

    /**
     * A stream of the bytes decompressed from {@code compressed}'s remaining bytes, which it reads
     * without copying and without moving the buffer's position.
     *
     * @throws IOException when the compressed stream's header is invalid; reads throw it for
     *     corrupt data later on
     */
    public abstract InputStream wrapForInput(ByteBuffer compressed) throws IOException;

    /** The codec's stream, failing only with {@link IOException}. */
    final InputStream translated(InputStream codecStream) {
        return new CodecErrorTranslatingInputStream(codecStream, configName);
    }

    /** Batches single-byte reads (record varints) that are slow through an inflater. */
    static InputStream buffered(InputStream in) {
        return new BufferedInputStream(in, CODEC_BUFFER_SIZE);
    }
}
