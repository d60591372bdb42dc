package dev.borges.protocol.record;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One record decoded from a v2 batch, with its absolute offset and timestamp resolved from the
 * batch header (see {@link RecordEncoder} for the encoding). Produced by {@link RecordIterator} only
 * when a caller asks for records; the broker's append path never decodes them.
 *
 * <p>For an uncompressed batch, key and value are read-only views of the batch's bytes (no copy),
 * valid as long as those bytes are; for a compressed batch they view the decompressed copy.
 * Immutable; safe to share between threads once the bytes it views stop changing.
 */
public final class Record {
    private final long offset;
    private final long timestamp;
    private final int sequence;
    private final ByteBuffer key;
    private final ByteBuffer value;
    private final List<Header> headers;
    private final int sizeInBytes;

    Record(long offset, long timestamp, int sequence, ByteBuffer key, ByteBuffer value, List<Header> headers, int sizeInBytes) {
        this.offset = offset;
        this.timestamp = timestamp;
        this.sequence = sequence;
        this.key = key == null ? null : key.asReadOnlyBuffer();
        this.value = value == null ? null : value.asReadOnlyBuffer();
        this.headers = List.copyOf(headers);
        this.sizeInBytes = sizeInBytes;
    }

    /** Absolute offset: the batch's base offset plus this record's offset delta. */
    public long offset() {
        return offset;
    }

    /**
     * Create time (batch base timestamp plus delta) or, in a log-append-time batch, the batch's
     * max timestamp.
     */
    public long timestamp() {
        return timestamp;
    }

    /** The producer sequence number, or -1 when the batch has none. */
    public int sequence() {
        return sequence;
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The key as a read-only buffer of its own position, or {@code null}. */
    public ByteBuffer key() {
        return key == null ? null : key.duplicate();
    }

    /** A copy of the key, or {@code null}. */
    public byte[] keyBytes() {
        return copyOf(key);
    }

    /** Key length in bytes, or -1 for a null key. */
    public int keySize() {
        return key == null ? -1 : key.remaining();
    }

    public boolean hasValue() {
        return value != null;
    }

    /** The value as a read-only buffer of its own position, or {@code null} (a tombstone). */
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }

    /** A copy of the value, or {@code null}. */
    public byte[] valueBytes() {
        return copyOf(value);
    }

    /** Value length in bytes, or -1 for a null value. */
    public int valueSize() {
        return value == null ? -1 : value.remaining();
    }

    /** Headers in the order they were written; unmodifiable. */
    public List<Header> headers() {
        return headers;
    }

    /** Encoded size including the leading length varint. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    private static byte[] copyOf(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "Record(offset=" + offset + ", timestamp=" + timestamp + ", keySize=" + keySize()
                + ", valueSize=" + valueSize() + ", headers=" + headers.size() + ")";
    }
}
