package dev.borges.protocol.types;

import dev.borges.protocol.record.Records;
import java.nio.ByteBuffer;

/** A {@link ProtocolWriter} that fills a heap or direct buffer sized by {@code Message.size}. */
public final class ByteBufferWriter implements ProtocolWriter {
    private final ByteBuffer buffer;

    public ByteBufferWriter(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    @Override
    public void writeByte(byte value) {
        buffer.put(value);
    }

    @Override
    public void writeShort(short value) {
        buffer.putShort(value);
    }

    @Override
    public void writeInt(int value) {
        buffer.putInt(value);
    }

    @Override
    public void writeLong(long value) {
        buffer.putLong(value);
    }

    @Override
    public void writeDouble(double value) {
        buffer.putDouble(value);
    }

    @Override
    public void writeUnsignedVarint(int value) {
        Varints.writeUnsignedVarint(value, buffer);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        buffer.put(bytes);
    }

    @Override
    public void writeBytes(ByteBuffer bytes) {
        buffer.put(bytes.duplicate());
    }

    @Override
    public void writeRecords(Records records) {
        records.copyTo(buffer);
    }
}
