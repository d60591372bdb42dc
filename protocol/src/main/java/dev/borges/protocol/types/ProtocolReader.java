package dev.borges.protocol.types;

import dev.borges.protocol.MalformedMessageException;
import dev.borges.protocol.record.MemoryRecords;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads the Kafka protocol's primitive types from a buffer, for generated message classes.
 *
 * <p>Every read checks that the bytes are there first, and every length or count read from the
 * input is checked against the bytes that remain before anything is allocated, so a hostile
 * length fails with {@link MalformedMessageException} naming the field and the byte position
 * instead of allocating gigabytes. Byte and records fields can be read as views that share the
 * input buffer (zero-copy). Not thread-safe; one reader per message being decoded.
 */
public final class ProtocolReader {
    private final ByteBuffer buffer;

    public ProtocolReader(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    public int position() {
        return buffer.position();
    }

    public int remaining() {
        return buffer.remaining();
    }

    public byte readByte() {
        require(1, "int8");
        return buffer.get();
    }

    public boolean readBoolean() {
        return readByte() != 0;
    }

    public short readShort() {
        require(2, "int16");
        return buffer.getShort();
    }

    public int readUnsignedShort() {
        return Short.toUnsignedInt(readShort());
    }

    public int readInt() {
        require(4, "int32");
        return buffer.getInt();
    }

    public long readUnsignedInt() {
        return Integer.toUnsignedLong(readInt());
    }

    public long readLong() {
        require(8, "int64");
        return buffer.getLong();
    }

    public double readDouble() {
        require(8, "float64");
        return buffer.getDouble();
    }

    public Uuid readUuid() {
        require(16, "uuid");
        return new Uuid(buffer.getLong(), buffer.getLong());
    }

    public int readUnsignedVarint() {
        return Varints.readUnsignedVarint(buffer);
    }

    /**
     * Reads the length prefix of a string, bytes, records or array field: an int16 (classic
     * strings), an int32 (classic bytes and arrays) or an unsigned varint minus one (compact
     * forms). Returns -1 for null; any other negative value is malformed.
     */
    public int readLength(LengthKind kind, String field) {
        int start = buffer.position();
        int length = switch (kind) {
            case INT16 -> readShort();
            case INT32 -> readInt();
            case COMPACT -> readUnsignedVarint() - 1;
        };
        if (length < -1) {
            throw new MalformedMessageException("Field '" + field + "' has negative length " + length + " at byte " + start);
        }
        return length;
    }

    /** A null marker is only valid where the schema allows null at this version. */
    public MalformedMessageException unexpectedNull(String field) {
        return new MalformedMessageException(
            "Field '" + field + "' is null at byte " + buffer.position() + " but is not nullable in this version");
    }

    /**
     * Checks a collection count against the bytes left, given the fewest bytes one element can
     * take, so a hostile count fails before any list is allocated for it.
     */
    public void checkCount(int count, int minElementSize, String field) {
        if ((long) count * minElementSize > buffer.remaining()) {
            throw new MalformedMessageException("Field '" + field + "' claims " + count + " elements at byte "
                + buffer.position() + " but only " + buffer.remaining() + " bytes remain");
        }
    }

    public String readString(int length, String field) {
        checkLength(length, field);
        String value;
        if (buffer.hasArray()) {
            value = new String(buffer.array(), buffer.arrayOffset() + buffer.position(), length, StandardCharsets.UTF_8);
            buffer.position(buffer.position() + length);
        } else {
            byte[] bytes = new byte[length];
            buffer.get(bytes);
            value = new String(bytes, StandardCharsets.UTF_8);
        }
        return value;
    }

    public byte[] readByteArray(int length, String field) {
        checkLength(length, field);
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    /** A view of the next {@code length} bytes, sharing the input buffer. */
    public ByteBuffer readByteBufferView(int length, String field) {
        checkLength(length, field);
        ByteBuffer view = buffer.slice(buffer.position(), length);
        buffer.position(buffer.position() + length);
        return view;
    }

    public MemoryRecords readRecords(int length, String field) {
        return MemoryRecords.readableView(readByteBufferView(length, field));
    }

    /** A tagged field's size must be non-negative and within the input. */
    public void checkTaggedFieldSize(int tag, int size) {
        if (size < 0 || size > buffer.remaining()) {
            throw new MalformedMessageException("Tagged field " + tag + " claims " + Integer.toUnsignedString(size)
                + " bytes at byte " + buffer.position() + " but only " + buffer.remaining() + " remain");
        }
    }

    /** A known tagged field must use exactly the bytes its size announced. */
    public void checkTaggedFieldEnd(int tag, int expectedEnd) {
        if (buffer.position() != expectedEnd) {
            throw new MalformedMessageException("Tagged field " + tag + " ends at byte " + buffer.position()
                + " but its size says it ends at byte " + expectedEnd);
        }
    }

    private void checkLength(int length, String field) {
        if (length > buffer.remaining()) {
            throw new MalformedMessageException("Field '" + field + "' claims " + length + " bytes at byte "
                + buffer.position() + " but only " + buffer.remaining() + " remain");
        }
    }

    private void require(int bytes, String type) {
        if (buffer.remaining() < bytes) {
            throw new MalformedMessageException("Input ends at byte " + buffer.limit() + " while reading an " + type
                + " at byte " + buffer.position());
        }
    }

    /** How a variable-length field's length is prefixed on the wire. */
    public enum LengthKind {
        INT16, INT32, COMPACT
    }
}
