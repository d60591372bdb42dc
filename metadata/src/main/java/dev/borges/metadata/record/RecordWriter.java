package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A growable byte array with the field encodings of {@link MetadataRecordSerde}. Not thread-safe;
 * one per encoding call.
 */
final class RecordWriter {
    private byte[] bytes = new byte[64];
    private int size;

    int size() {
        return size;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    void writeBytes(byte[] source, int offset, int length) {
        ensure(length);
        System.arraycopy(source, offset, bytes, size, length);
        size += length;
    }

    void writeUnsignedVarint(int value) {
        while ((value & ~0x7f) != 0) {
            writeByte((value & 0x7f) | 0x80);
            value >>>= 7;
        }
        writeByte(value);
    }

    void writeUnsignedVarlong(long value) {
        while ((value & ~0x7fL) != 0) {
            writeByte((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        writeByte((int) value);
    }

    void writeInt(int value) {
        writeUnsignedVarint((value << 1) ^ (value >> 31));
    }

    void writeLong(long value) {
        writeUnsignedVarlong((value << 1) ^ (value >> 63));
    }

    void writeUuid(Uuid id) {
        long msb = id.mostSignificantBits();
        long lsb = id.leastSignificantBits();
        for (int shift = 56; shift >= 0; shift -= 8) {
            writeByte((int) (msb >>> shift));
        }
        for (int shift = 56; shift >= 0; shift -= 8) {
            writeByte((int) (lsb >>> shift));
        }
    }

    /** Length + 1 as an unsigned varint (0 for null), then the UTF-8 bytes. */
    void writeNullableString(String value) {
        if (value == null) {
            writeUnsignedVarint(0);
            return;
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        writeUnsignedVarint(utf8.length + 1);
        writeBytes(utf8, 0, utf8.length);
    }

    /** Count + 1 as an unsigned varint (0 for null), then each element as a signed varint. */
    void writeNullableIntList(List<Integer> values) {
        if (values == null) {
            writeUnsignedVarint(0);
            return;
        }
        writeUnsignedVarint(values.size() + 1);
        for (int value : values) {
            writeInt(value);
        }
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }
}
