package dev.borges.protocol.record;

import java.nio.ByteBuffer;

/**
 * Record batches held in a buffer: typically a view into a decoded request, sharing its bytes.
 * Equality is by content, so two views of equal bytes are equal.
 *
 * <p>{@link #batches()} walks the v2 batches without decoding records ({@link RecordBatchIterator});
 * the {@link RecordBatch} views share this buffer's bytes, so their mutators (base offset, leader
 * epoch, max timestamp) write through when the buffer is writable. Not thread-safe for mutation.
 */
public final class MemoryRecords implements Records {
    public static final MemoryRecords EMPTY = new MemoryRecords(ByteBuffer.allocate(0));

    private final ByteBuffer buffer;

    private MemoryRecords(ByteBuffer buffer) {
        this.buffer = buffer;
    }

    /** A view of {@code buffer}'s remaining bytes; later changes to the buffer's position do not affect it. */
    public static MemoryRecords readableView(ByteBuffer buffer) {
        return new MemoryRecords(buffer.slice());
    }

    /** A read-only duplicate of the bytes, positioned at the first batch. */
    public ByteBuffer buffer() {
        return buffer.asReadOnlyBuffer();
    }

    /**
     * The batches, each header checked as it is reached; a trailing partial batch or a bad length or
     * magic throws {@link dev.borges.protocol.CorruptRecordException} from the iterator.
     */
    public Iterable<RecordBatch> batches() {
        return () -> RecordBatchIterator.strict(buffer);
    }

    /**
     * The whole batches, stopping before a trailing partial batch (fetch responses may end with one;
     * clients skip it). A bad length or magic still throws.
     */
    public Iterable<RecordBatch> completeBatches() {
        return () -> RecordBatchIterator.allowingPartialTail(buffer);
    }

    /** Bytes taken by the whole batches: where a trailing partial batch starts, or {@link #sizeInBytes()}. */
    public int sizeOfCompleteBatches() {
        RecordBatchIterator batches = RecordBatchIterator.allowingPartialTail(buffer);
        while (batches.hasNext()) {
            batches.next();
        }
        return batches.position();
    }

    @Override
    public int sizeInBytes() {
        return buffer.remaining();
    }

    @Override
    public void copyTo(ByteBuffer destination) {
        destination.put(buffer.duplicate());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MemoryRecords that && buffer.equals(that.buffer);
    }

    @Override
    public int hashCode() {
        return buffer.hashCode();
    }

    @Override
    public String toString() {
        return "MemoryRecords(" + buffer.remaining() + " bytes)";
    }
}
