package dev.borges.protocol.record;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Walks the v2 batches laid end to end in a buffer, returning a {@link RecordBatch} view of each
 * without copying or decoding records. Each batch's header is checked before it is returned:
 * batchLength at least the header size and magic 2, else {@link
 * dev.borges.protocol.CorruptRecordException} naming the byte position and the value seen. CRCs are
 * not checked here ({@link RecordBatch#ensureValid()}).
 *
 * <p>Two policies for bytes at the end that do not form a whole batch. {@link #strict} (produce
 * requests, log segments) rejects them as a truncated batch. {@link #allowingPartialTail} (fetch
 * responses, which may legally end inside a batch that clients skip) stops before them; {@link
 * #position()} then tells where that partial batch starts.
 *
 * <p>Iterates its own view of the buffer, so the caller's position is untouched; the batches share
 * the buffer's bytes. Not thread-safe; one per walk.
 */
public final class RecordBatchIterator implements Iterator<RecordBatch> {
    private final ByteBuffer buffer;
    private final boolean allowPartialTail;
    private int position;
    private RecordBatch next;
    private boolean done;

    private RecordBatchIterator(ByteBuffer buffer, boolean allowPartialTail) {
        this.buffer = buffer.slice();
        this.allowPartialTail = allowPartialTail;
    }

    /** Iterates the batches in {@code buffer}'s remaining bytes; a trailing partial batch is corrupt. */
    public static RecordBatchIterator strict(ByteBuffer buffer) {
        return new RecordBatchIterator(buffer, false);
    }

    /** Iterates the whole batches in {@code buffer}'s remaining bytes and stops at a partial one. */
    public static RecordBatchIterator allowingPartialTail(ByteBuffer buffer) {
        return new RecordBatchIterator(buffer, true);
    }

    @Override
    public boolean hasNext() {
        if (next == null && !done) {
            next = readNext();
        }
        return next != null;
    }

    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("No more record batches after byte " + position);
        }
        RecordBatch batch = next;
        next = null;
        return batch;
    }

    /**
     * Bytes from the start of the buffer to the end of the last batch read so far. Once {@link
     * #hasNext()} returns false, that is where a trailing partial batch starts, or the buffer size.
     */
    public int position() {
        return position;
    }

    private RecordBatch readNext() {
        int available = buffer.limit() - position;
        if (available == 0) {
            done = true;
            return null;
        }
        int size = RecordBatch.completeBatchSize(buffer, position, available);
        if (size < 0) {
            done = true;
            if (allowPartialTail) {
                return null;
            }
            throw RecordBatch.truncated(buffer, position, available);
        }
        RecordBatch batch = new RecordBatch(buffer.slice(position, size));
        position += size;
        return batch;
    }
}
