package dev.borges.storage.log;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * What the log reads of a stored batch to walk, search and index it, without touching its records
 * or checking its CRC: where it is, its size, its offsets and its largest timestamp.
 *
 * @param position byte position of the batch in its file
 */
public record BatchHeader(int position, long baseOffset, int sizeInBytes, long lastOffset, long maxTimestamp) {

    /** Parses the fixed batch header at the buffer's position. */
    static BatchHeader parse(ByteBuffer header, int position) {
        int start = header.position();
        long baseOffset = header.getLong(start + RecordBatch.BASE_OFFSET_OFFSET);
        int batchLength = header.getInt(start + RecordBatch.BATCH_LENGTH_OFFSET);
        byte magic = header.get(start + RecordBatch.MAGIC_OFFSET);
        if (batchLength < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD) {
            throw new CorruptRecordException("Batch at byte " + position + " has length " + batchLength
                + ", less than a batch header");
        }
        if (batchLength > Integer.MAX_VALUE - RecordBatch.LOG_OVERHEAD) {
            throw new CorruptRecordException("Batch at byte " + position + " has length " + batchLength + ", beyond any segment");
        }
        if (magic != RecordBatch.MAGIC) {
            throw new CorruptRecordException("Batch at byte " + position + " has magic " + magic + ", not " + RecordBatch.MAGIC);
        }
        int lastOffsetDelta = header.getInt(start + RecordBatch.LAST_OFFSET_DELTA_OFFSET);
        long maxTimestamp = header.getLong(start + RecordBatch.MAX_TIMESTAMP_OFFSET);
        return new BatchHeader(position, baseOffset, batchLength + RecordBatch.LOG_OVERHEAD, baseOffset + lastOffsetDelta, maxTimestamp);
    }

    public int nextPosition() {
        return position + sizeInBytes;
    }
}
