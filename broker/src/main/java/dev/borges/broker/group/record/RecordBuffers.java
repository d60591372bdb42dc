package dev.borges.broker.group.record;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The primitive encodings of {@code __consumer_offsets} keys and values: big-endian integers,
 * strings as an int16 length and UTF-8 bytes (length -1 for null), byte arrays as an int32 length
 * and the bytes. The same primitives as Kafka's non-flexible message versions.
 */
final class RecordBuffers {
    private RecordBuffers() {
    }

    static int sizeOf(String value) {
        return 2 + (value == null ? 0 : utf8(value).length);
    }

    static int sizeOf(byte[] value) {
        return 4 + (value == null ? 0 : value.length);
    }

    static void putString(ByteBuffer buffer, String value) {
        if (value == null) {
            buffer.putShort((short) -1);
            return;
        }
        byte[] bytes = utf8(value);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("String of " + bytes.length + " bytes is too long for a record field");
        }
        buffer.putShort((short) bytes.length);
        buffer.put(bytes);
    }

    static void putBytes(ByteBuffer buffer, byte[] value) {
        if (value == null) {
            buffer.putInt(-1);
            return;
        }
        buffer.putInt(value.length);
        buffer.put(value);
    }

    /** A nullable string. */
    static String getNullableString(ByteBuffer buffer, String field) {
        short length = getShort(buffer, field);
        if (length < 0) {
            return null;
        }
        return new String(take(buffer, length, field), StandardCharsets.UTF_8);
    }

    static String getString(ByteBuffer buffer, String field) {
        String value = getNullableString(buffer, field);
        if (value == null) {
            throw new MalformedRecordException("Field " + field + " is null");
        }
        return value;
    }

    static byte[] getBytes(ByteBuffer buffer, String field) {
        int length = getInt(buffer, field);
        if (length < 0) {
            throw new MalformedRecordException("Field " + field + " is null");
        }
        return take(buffer, length, field);
    }

    static short getShort(ByteBuffer buffer, String field) {
        try {
            return buffer.getShort();
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("Record ends before " + field);
        }
    }

    static int getInt(ByteBuffer buffer, String field) {
        try {
            return buffer.getInt();
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("Record ends before " + field);
        }
    }

    static long getLong(ByteBuffer buffer, String field) {
        try {
            return buffer.getLong();
        } catch (BufferUnderflowException e) {
            throw new MalformedRecordException("Record ends before " + field);
        }
    }

    private static byte[] take(ByteBuffer buffer, int length, String field) {
        if (length > buffer.remaining()) {
            throw new MalformedRecordException("Field " + field + " claims " + length + " bytes; " + buffer.remaining() + " remain");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
