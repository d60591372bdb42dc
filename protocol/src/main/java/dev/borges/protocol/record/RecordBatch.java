package dev.borges.protocol.record;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.compress.CompressionType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * A view of one record batch in the v2 format ("magic 2", the only format Kafka 4 speaks) over the
 * bytes it occupies in a buffer, without copying them. This class owns the batch header format;
 * all integers are big-endian:
 *
 * <pre>
 * offset size field                 meaning
 *  0     8    baseOffset            offset of the first record; the broker stamps it on append
 *  8     4    batchLength           bytes after this field: the batch size minus 12
 * 12     4    partitionLeaderEpoch  leader epoch at append, -1 from producers; stamped by the leader
 * 16     1    magic                 2
 * 17     4    crc                   CRC32C (unsigned) of every byte from attributes to the end;
 *                                   so baseOffset and partitionLeaderEpoch can change without it
 * 21     2    attributes            bits 0-2 compression ({@link CompressionType} id),
 *                                   bit 3 timestamp type (1 = log append time),
 *                                   bit 4 transactional, bit 5 control batch,
 *                                   bit 6 delete horizon set (baseTimestamp is then the delete
 *                                   horizon of a compacted batch), bits 7-15 unused (0)
 * 23     4    lastOffsetDelta       offset of the last record minus baseOffset (after compaction
 *                                   there may be gaps, so it can exceed recordCount - 1)
 * 27     8    baseTimestamp         timestamp of the first record (or the delete horizon)
 * 35     8    maxTimestamp          largest record timestamp, or the log append time
 * 43     8    producerId            -1 when not idempotent
 * 51     2    producerEpoch         -1 when not idempotent
 * 53     4    baseSequence          sequence of the first record, -1 when not idempotent
 * 57     4    recordCount           number of records that follow
 * 61     ...  records               {@link RecordEncoder the record format}, as one compressed stream
 *                                   of the codec in attributes when not NONE
 * </pre>
 *
 * <p>A view is created by {@link #wrap} or by iterating a buffer's batches ({@link
 * RecordBatchIterator}); both check that the header is whole, its length fits and magic is 2, but not
 * the CRC: call {@link #ensureValid()} for that. Records are decoded only when asked ({@link
 * #recordIterator()}). The mutators write through to the underlying bytes, which must then be
 * writable. Not thread-safe for mutation; concurrent readers are fine while nobody mutates.
 */
public final class RecordBatch {
    public static final byte MAGIC = 2;

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int BATCH_LENGTH_OFFSET = 8;
    static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    static final int CRC_OFFSET = 17;
    static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    static final int PRODUCER_ID_OFFSET = 43;
    static final int PRODUCER_EPOCH_OFFSET = 51;
    static final int BASE_SEQUENCE_OFFSET = 53;
    static final int RECORD_COUNT_OFFSET = 57;
    static final int RECORDS_OFFSET = 61;

    /** Bytes before what batchLength counts: baseOffset and batchLength themselves. */
    public static final int LOG_OVERHEAD = BATCH_LENGTH_OFFSET + 4;
    /** Size of the header, and so of a batch with no records. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** Bytes needed to read the magic, which decides how the rest is read. */
    static final int HEADER_SIZE_UP_TO_MAGIC = MAGIC_OFFSET + 1;

    static final int TRANSACTIONAL_FLAG = 0x10;
    static final int CONTROL_FLAG = 0x20;
    static final int DELETE_HORIZON_FLAG = 0x40;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    private final ByteBuffer buffer;

    /** @param batch exactly one batch, its first byte at index 0, already structurally checked */
    RecordBatch(ByteBuffer batch) {
        this.buffer = batch;
    }

    /**
     * A view of the batch starting at {@code buffer}'s position, which is not moved. The buffer may
     * hold more bytes after the batch.
     *
     * @throws CorruptRecordException when the bytes cannot be a whole v2 batch: too short for the
     *     header, a batchLength below the header size or beyond the bytes available, or magic not 2
     */
    public static RecordBatch wrap(ByteBuffer buffer) {
        int available = buffer.remaining();
        int size = completeBatchSize(buffer, buffer.position(), available);
        if (size < 0) {
            throw truncated(buffer, buffer.position(), available);
        }
        return new RecordBatch(buffer.slice(buffer.position(), size));
    }

    /**
     * The size of the batch at {@code index} when all of it is within {@code available} bytes, or
     * -1 when the bytes end first: before the length and magic fields, or inside the batch.
     *
     * @throws CorruptRecordException when a length or magic that can be read is impossible
     */
    static int completeBatchSize(ByteBuffer buffer, int index, int available) {
        if (available < LOG_OVERHEAD) {
            return -1;
        }
        int batchLength = buffer.getInt(index + BATCH_LENGTH_OFFSET);
        if (batchLength < HEADER_SIZE - LOG_OVERHEAD) {
            throw new CorruptRecordException("Record batch at byte " + index + " has batchLength " + batchLength
                    + ", less than the " + (HEADER_SIZE - LOG_OVERHEAD) + " bytes of a v2 header");
        }
        if (available < HEADER_SIZE_UP_TO_MAGIC) {
            return -1;
        }
        byte magic = buffer.get(index + MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new CorruptRecordException("Record batch at byte " + index + " has magic " + magic
                    + "; only magic " + MAGIC + " batches are supported");
        }
        if (batchLength > available - LOG_OVERHEAD) {
            return -1;
        }
        return LOG_OVERHEAD + batchLength;
    }

    static CorruptRecordException truncated(ByteBuffer buffer, int index, int available) {
        String declared = available >= LOG_OVERHEAD
                ? "its header declares " + (LOG_OVERHEAD + (long) buffer.getInt(index + BATCH_LENGTH_OFFSET)) + " bytes"
                : "its header needs " + LOG_OVERHEAD + " bytes";
        return new CorruptRecordException("Record batch at byte " + index + " is truncated: " + declared
                + " but only " + available + " remain");
    }

    public long baseOffset() {
        return buffer.getLong(BASE_OFFSET_OFFSET);
    }

    public int batchLength() {
        return buffer.getInt(BATCH_LENGTH_OFFSET);
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(MAGIC_OFFSET);
    }

    /** The CRC stored in the header, as an unsigned 32-bit value. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(ATTRIBUTES_OFFSET);
    }

    public int lastOffsetDelta() {
        return buffer.getInt(LAST_OFFSET_DELTA_OFFSET);
    }

    public long baseTimestamp() {
        return buffer.getLong(BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(MAX_TIMESTAMP_OFFSET);
    }

    public long producerId() {
        return buffer.getLong(PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(BASE_SEQUENCE_OFFSET);
    }

    public int recordCount() {
        return buffer.getInt(RECORD_COUNT_OFFSET);
    }

    /** @throws CorruptRecordException when attribute bits 0-2 hold an id no codec has */
    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & CompressionType.ATTRIBUTE_MASK);
    }

    public TimestampType timestampType() {
        return TimestampType.fromAttributes(attributes());
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_FLAG) != 0;
    }

    /** Whether attribute bit 6 is set, making {@link #baseTimestamp()} the delete horizon. */
    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_FLAG) != 0;
    }

    /** The time after which the cleaner may drop this batch's tombstones and markers, if set. */
    public OptionalLong deleteHorizonMs() {
        return hasDeleteHorizon() ? OptionalLong.of(baseTimestamp()) : OptionalLong.empty();
    }

    public boolean hasProducerId() {
        return producerId() > NO_PRODUCER_ID;
    }

    /** Offset of the last record (or of the last record before compaction removed it). */
    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset the batch after this one starts at. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    /** Sequence of the last record, wrapping past {@code Integer.MAX_VALUE} to 0; -1 when none. */
    public int lastSequence() {
        int base = baseSequence();
        return base == NO_SEQUENCE ? NO_SEQUENCE : incrementSequence(base, lastOffsetDelta());
    }

    /** Bytes of the whole batch, header included. */
    public int sizeInBytes() {
        return buffer.limit();
    }

    /** A read-only view of the batch's bytes, positioned at its first byte. */
    public ByteBuffer buffer() {
        return buffer.asReadOnlyBuffer();
    }

    /** CRC32C of the bytes from attributes to the end of the batch, as an unsigned 32-bit value. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate().position(ATTRIBUTES_OFFSET));
        return crc.getValue();
    }

    /** Whether the stored CRC matches the bytes. */
    public boolean isValid() {
        return checksum() == computeChecksum();
    }

    /**
     * @throws CorruptRecordException naming the base offset, the stored and the computed CRC when
     *     they differ
     */
    public void ensureValid() {
        long stored = checksum();
        long computed = computeChecksum();
        if (stored != computed) {
            throw new CorruptRecordException(String.format(
                    "Record batch with base offset %d (%d bytes) is corrupt: stored CRC 0x%08x, computed 0x%08x",
                    baseOffset(), sizeInBytes(), stored, computed));
        }
    }

    /** Stamps the base offset (the broker assigns offsets on append). Not covered by the CRC. */
    public void setBaseOffset(long baseOffset) {
        buffer.putLong(BASE_OFFSET_OFFSET, baseOffset);
    }

    /** Stamps the leader epoch the batch was appended in. Not covered by the CRC. */
    public void setPartitionLeaderEpoch(int partitionLeaderEpoch) {
        buffer.putInt(PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
    }

    /**
     * Sets the timestamp type and max timestamp (log append time stamping) and rewrites the CRC,
     * unless both are unchanged. The new CRC covers whatever the batch holds, so validate it first.
     */
    public void setMaxTimestamp(TimestampType timestampType, long maxTimestamp) {
        short attributes = attributes();
        short newAttributes = (short) (timestampType == TimestampType.LOG_APPEND_TIME
                ? attributes | TimestampType.ATTRIBUTE_MASK
                : attributes & ~TimestampType.ATTRIBUTE_MASK);
        if (newAttributes == attributes && maxTimestamp == maxTimestamp()) {
            return;
        }
        buffer.putShort(ATTRIBUTES_OFFSET, newAttributes);
        buffer.putLong(MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putInt(CRC_OFFSET, (int) computeChecksum());
    }

    /**
     * Starts decoding the records, decompressing as they are read. Close the iterator (it closes
     * itself once exhausted or failed) to release the decompressor.
     *
     * @throws CorruptRecordException for an unknown codec, a negative or impossible record count, or
     *     a compressed stream whose header is invalid; the iterator throws it for bad records
     */
    public RecordIterator recordIterator() {
        return new RecordIterator(this);
    }

    /**
     * Reads every record, decompressing if needed, with all the checks of {@link #recordIterator()},
     * and hands {@code visitor} each one's offset, timestamp and key presence: what a broker checks
     * before storing a producer's batch, at the cost of the decompression alone.
     *
     * @throws CorruptRecordException for a bad record, a wrong count or bytes after the last record
     */
    public void scanRecords(RecordVisitor visitor) {
        recordIterator().scanRemaining(visitor);
    }

    /** Decodes every record. */
    public List<Record> records() {
        try (RecordIterator records = recordIterator()) {
            List<Record> list = new ArrayList<>(Math.min(Math.max(recordCount(), 0), 1024));
            records.forEachRemaining(list::add);
            return list;
        }
    }

    /** The records region: everything after the header. */
    ByteBuffer recordsBuffer() {
        return buffer.slice(RECORDS_OFFSET, buffer.limit() - RECORDS_OFFSET);
    }

    /** {@code sequence + increment}, wrapping past {@code Integer.MAX_VALUE} to 0 as producers do. */
    static int incrementSequence(int sequence, int increment) {
        if (sequence > Integer.MAX_VALUE - increment) {
            return increment - (Integer.MAX_VALUE - sequence) - 1;
        }
        return sequence + increment;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordBatch that && buffer.equals(that.buffer);
    }

    @Override
    public int hashCode() {
        return buffer.hashCode();
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", lastOffset=" + lastOffset() + ", recordCount=" + recordCount()
                + ", sizeInBytes=" + sizeInBytes() + ", compressionId=" + (attributes() & CompressionType.ATTRIBUTE_MASK)
                + ", timestampType=" + timestampType() + ", transactional=" + isTransactional()
                + ", control=" + isControlBatch() + ", producerId=" + producerId() + ")";
    }
}
