package dev.borges.protocol.record;

import java.nio.ByteBuffer;

/**
 * A run of record batches, as carried by the {@code records} fields of Produce and Fetch. The
 * bytes are the batches exactly as stored and sent; implementations are views, never copies:
 * {@link MemoryRecords} over a buffer, and (in storage) a region of a log segment file.
 */
public interface Records {
    int sizeInBytes();

    /** Copies every byte into {@code destination}, advancing its position. */
    void copyTo(ByteBuffer destination);
}
