package dev.borges.protocol.record;

import dev.borges.protocol.types.Utf8;
import dev.borges.protocol.types.Varints;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes one record inside a v2 batch. This class owns the record format ({@link RecordDecoder}
 * reads it):
 *
 * <pre>
 * length          varint   bytes of everything after this field
 * attributes      int8     unused, 0
 * timestampDelta  varlong  timestamp - batch base timestamp
 * offsetDelta     varint   offset - batch base offset
 * keyLength       varint   -1 for a null key
 * key             keyLength bytes
 * valueLength     varint   -1 for a null value
 * value           valueLength bytes
 * headerCount     varint
 * headers, each:
 *   keyLength     varint   never negative
 *   key           keyLength bytes of UTF-8
 *   valueLength   varint   -1 for a null value
 *   value         valueLength bytes
 * </pre>
 *
 * All varints are zigzag-encoded ({@link Varints}). Stateless; thread-safe.
 */
final class RecordEncoder {
    /** The smallest possible record: a one-byte length and six one-byte fields. */
    static final int MIN_RECORD_SIZE = 7;
    /** The smallest possible body (everything after the length). */
    static final int MIN_BODY_SIZE = 6;

    private RecordEncoder() {
    }

    /** Bytes of the record after its length field. */
    static int sizeOfBody(int offsetDelta, long timestampDelta, byte[] key, byte[] value, List<Header> headers) {
        int size = 1 + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
                + sizeOfNullableBytes(key) + sizeOfNullableBytes(value) + Varints.sizeOfVarint(headers.size());
        for (Header header : headers) {
            int keyLength = Utf8.encodedLength(header.key());
            size += Varints.sizeOfVarint(keyLength) + keyLength + sizeOfNullableBytes(header.value());
        }
        return size;
    }

    /** Bytes of the whole record, length field included. */
    static int sizeInBytes(int offsetDelta, long timestampDelta, byte[] key, byte[] value, List<Header> headers) {
        int body = sizeOfBody(offsetDelta, timestampDelta, key, value, headers);
        return Varints.sizeOfVarint(body) + body;
    }

    /** Writes the whole record at {@code out}'s position; {@code out} must have room for it. */
    static void write(ByteBuffer out, int offsetDelta, long timestampDelta, byte[] key, byte[] value, List<Header> headers) {
        Varints.writeVarint(sizeOfBody(offsetDelta, timestampDelta, key, value, headers), out);
        out.put((byte) 0);
        Varints.writeVarlong(timestampDelta, out);
        Varints.writeVarint(offsetDelta, out);
        writeNullableBytes(key, out);
        writeNullableBytes(value, out);
        Varints.writeVarint(headers.size(), out);
        for (Header header : headers) {
            byte[] headerKey = header.key().getBytes(StandardCharsets.UTF_8);
            Varints.writeVarint(headerKey.length, out);
            out.put(headerKey);
            writeNullableBytes(header.value(), out);
        }
    }

    private static int sizeOfNullableBytes(byte[] bytes) {
        return bytes == null ? Varints.sizeOfVarint(-1) : Varints.sizeOfVarint(bytes.length) + bytes.length;
    }

    private static void writeNullableBytes(byte[] bytes, ByteBuffer out) {
        if (bytes == null) {
            Varints.writeVarint(-1, out);
        } else {
            Varints.writeVarint(bytes.length, out);
            out.put(bytes);
        }
    }
}
