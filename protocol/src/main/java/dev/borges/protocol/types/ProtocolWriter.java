package dev.borges.protocol.types;

import dev.borges.protocol.record.Records;
import java.nio.ByteBuffer;

/**
 * Where generated message classes write their fields. {@link ByteBufferWriter} fills a buffer; a
 * network layer can implement this to send {@link Records} without copying them (a file region for
 * fetched log segments) while the fields around them go to a buffer.
 */
public interface ProtocolWriter {
    void writeByte(byte value);

    void writeShort(short value);

    void writeInt(int value);

    void writeLong(long value);

    void writeDouble(double value);

    void writeUnsignedVarint(int value);

    void writeBytes(byte[] bytes);

    /** Writes the remaining bytes of {@code bytes} without changing its position. */
    void writeBytes(ByteBuffer bytes);

    void writeRecords(Records records);

    default void writeBoolean(boolean value) {
        writeByte(value ? (byte) 1 : (byte) 0);
    }

    default void writeUnsignedShort(int value) {
        writeShort((short) value);
    }

    default void writeUnsignedInt(long value) {
        writeInt((int) value);
    }

    default void writeUuid(Uuid uuid) {
        writeLong(uuid.mostSignificantBits());
        writeLong(uuid.leastSignificantBits());
    }
}
