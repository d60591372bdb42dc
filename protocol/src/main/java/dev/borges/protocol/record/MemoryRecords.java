package dev.borges.protocol.record;

import java.nio.ByteBuffer;

public final class MemoryRecords implements Records {
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));
    private final ByteBuffer buffer;
    private MemoryRecords(ByteBuffer buffer) { this.buffer = buffer; }
    public static MemoryRecords readableView(ByteBuffer buffer) { return new MemoryRecords(buffer.slice()); }
    public ByteBuffer buffer() { return buffer.asReadOnlyBuffer(); }
    @Override public int sizeInBytes() { return buffer.remaining(); }
    @Override public void copyTo(ByteBuffer destination) { destination.put(buffer.duplicate()); }
    @Override public boolean equals(Object other) { return other instanceof MemoryRecords that && buffer.equals(that.buffer); }
    @Override public int hashCode() { return buffer.hashCode(); }
}
