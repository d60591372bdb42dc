package dev.borges.protocol.record;

import dev.borges.protocol.compress.CompressionType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Builds one v2 {@link RecordBatch}: configure, append records, {@link #build()} once. Records are
 * encoded ({@link RecordEncoder}) and compressed as they are appended, into a buffer that starts
 * with room for the header; {@code build} finishes the compressed stream, fills the header
 * (lastOffsetDelta, timestamps, record count) and computes the CRC.
 *
 * <p>Configuration (compression, timestamp type, producer state, flags, leader epoch, delete
 * horizon) is fixed by the first append. Defaults: no compression, create time, no producer id
 * (-1, -1, -1), not transactional, not control, leader epoch -1. Used by clients of the codec (the
 * test oracle, the transaction coordinator's markers, the log cleaner's rewrites); the broker's
 * produce path never rebuilds batches. Not thread-safe; one builder per batch.
 */
public final class RecordBatchBuilder {
    private static final int INITIAL_CAPACITY = 512;

    private final long baseOffset;
    private CompressionType compression = CompressionType.NONE;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private long deleteHorizonMs = RecordBatch.NO_TIMESTAMP;

    private BatchOutputStream output;
    private OutputStream recordStream;
    private ByteBuffer scratch = ByteBuffer.allocate(256);
    private int recordCount;
    private long lastOffset;
    private long baseTimestamp = RecordBatch.NO_TIMESTAMP;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;
    private boolean built;

    /** A builder whose first appended record gets {@code baseOffset}. */
    public RecordBatchBuilder(long baseOffset) {
        this.baseOffset = baseOffset;
        this.lastOffset = baseOffset - 1;
    }

    public RecordBatchBuilder compression(CompressionType compression) {
        ensureConfigurable();
        this.compression = compression;
        return this;
    }

    /** Producer clock timestamps (the default). */
    public RecordBatchBuilder createTime() {
        ensureConfigurable();
        this.timestampType = TimestampType.CREATE_TIME;
        this.logAppendTime = RecordBatch.NO_TIMESTAMP;
        return this;
    }

    /** Log append time: every record reads back with {@code appendTimeMs}. */
    public RecordBatchBuilder logAppendTime(long appendTimeMs) {
        ensureConfigurable();
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTime = appendTimeMs;
        return this;
    }

    /** Idempotent producer state; the first record gets {@code baseSequence}. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        ensureConfigurable();
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /** Whether the batch belongs to a transaction; requires a producer id. */
    public RecordBatchBuilder transactional(boolean transactional) {
        ensureConfigurable();
        this.transactional = transactional;
        return this;
    }

    /** Whether this is a control batch, holding only control records; never compressed. */
    public RecordBatchBuilder controlBatch(boolean control) {
        ensureConfigurable();
        this.control = control;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        ensureConfigurable();
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    /**
     * Marks the batch with a delete horizon (attribute bit 6), as the log cleaner does: the base
     * timestamp becomes the horizon and record timestamps are written relative to it.
     */
    public RecordBatchBuilder deleteHorizon(long deleteHorizonMs) {
        ensureConfigurable();
        this.deleteHorizonMs = deleteHorizonMs;
        return this;
    }

    /** Appends a record at the next offset. */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value) {
        return append(timestamp, key, value, List.of());
    }

    /** Appends a record at the next offset. */
    public RecordBatchBuilder append(long timestamp, byte[] key, byte[] value, List<Header> headers) {
        return appendWithOffset(lastOffset + 1, timestamp, key, value, headers);
    }

    /**
     * Appends a record at {@code offset}, which must be above every offset appended so far and at
     * least the base offset (gaps are allowed, as after compaction).
     */
    public RecordBatchBuilder appendWithOffset(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (control) {
            throw new IllegalStateException("A control batch holds only control records: use appendControlRecord");
        }
        appendRecord(offset, timestamp, key, value, headers);
        return this;
    }

    /** Appends a control record of {@code type} at the next offset; the batch must be a control batch. */
    public RecordBatchBuilder appendControlRecord(long timestamp, ControlRecordType type, byte[] value) {
        if (!control) {
            throw new IllegalStateException("Control records go only into control batches: call controlBatch(true) first");
        }
        appendRecord(lastOffset + 1, timestamp, type.key(), value, List.of());
        return this;
    }

    /** Records appended so far. */
    public int recordCount() {
        return recordCount;
    }

    private void appendRecord(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        if (built) {
            throw new IllegalStateException("The batch was already built");
        }
        if (offset <= lastOffset || offset < baseOffset) {
            throw new IllegalArgumentException("Offset " + offset + " does not follow " + lastOffset
                    + " (base offset " + baseOffset + "): offsets must increase");
        }
        if (offset - baseOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " is too far from base offset " + baseOffset);
        }
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("Invalid negative timestamp " + timestamp);
        }
        if (output == null) {
            open();
        }
        if (recordCount == 0 && deleteHorizonMs == RecordBatch.NO_TIMESTAMP) {
            baseTimestamp = timestamp;
        }
        int offsetDelta = (int) (offset - baseOffset);
        long timestampDelta = timestamp - baseTimestamp;
        int size = RecordEncoder.sizeInBytes(offsetDelta, timestampDelta, key, value, headers);
        if (scratch.capacity() < size) {
            scratch = ByteBuffer.allocate(Math.max(size, scratch.capacity() * 2));
        }
        scratch.clear();
        RecordEncoder.write(scratch, offsetDelta, timestampDelta, key, value, headers);
        try {
            recordStream.write(scratch.array(), 0, scratch.position());
        } catch (IOException e) {
            throw new UncheckedIOException("Compressing into memory failed", e);
        }
        recordCount++;
        lastOffset = offset;
        maxTimestamp = Math.max(maxTimestamp, timestamp);
    }

    private void open() {
        if (transactional && producerId < 0) {
            throw new IllegalStateException("A transactional batch needs a producer id");
        }
        if (control && compression != CompressionType.NONE) {
            throw new IllegalStateException("Control batches cannot be compressed");
        }
        if (deleteHorizonMs != RecordBatch.NO_TIMESTAMP) {
            baseTimestamp = deleteHorizonMs;
        }
        output = new BatchOutputStream(INITIAL_CAPACITY);
        output.write(new byte[RecordBatch.HEADER_SIZE], 0, RecordBatch.HEADER_SIZE);
        try {
            recordStream = compression.wrapForOutput(output);
        } catch (IOException e) {
            throw new UncheckedIOException("Starting " + compression.configName() + " compression failed", e);
        }
    }

    /**
     * Finishes the batch. A builder with no records yields a batch with no records (the log cleaner
     * keeps such batches for their producer state).
     *
     * @return the batch, in a writable buffer of its own
     */
    public MemoryRecords build() {
        if (built) {
            throw new IllegalStateException("The batch was already built");
        }
        if (output == null) {
            open();
        }
        built = true;
        try {
            recordStream.close();
        } catch (IOException e) {
            throw new UncheckedIOException("Finishing " + compression.configName() + " compression failed", e);
        }
        ByteBuffer batch = output.contents();
        writeHeader(batch);
        RecordBatch view = new RecordBatch(batch);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) view.computeChecksum());
        return MemoryRecords.readableView(batch);
    }

    private void writeHeader(ByteBuffer batch) {
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        batch.putInt(RecordBatch.BATCH_LENGTH_OFFSET, batch.limit() - RecordBatch.LOG_OVERHEAD);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, attributes());
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, recordCount == 0 ? 0 : (int) (lastOffset - baseOffset));
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET,
                timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, recordCount);
    }

    private short attributes() {
        int attributes = compression.id();
        if (timestampType == TimestampType.LOG_APPEND_TIME) {
            attributes |= TimestampType.ATTRIBUTE_MASK;
        }
        if (transactional) {
            attributes |= RecordBatch.TRANSACTIONAL_FLAG;
        }
        if (control) {
            attributes |= RecordBatch.CONTROL_FLAG;
        }
        if (deleteHorizonMs != RecordBatch.NO_TIMESTAMP) {
            attributes |= RecordBatch.DELETE_HORIZON_FLAG;
        }
        return (short) attributes;
    }

    private void ensureConfigurable() {
        if (output != null || built) {
            throw new IllegalStateException("The batch is configured before its first record");
        }
    }

    /** A growable byte array whose contents can be wrapped without copying. */
    private static final class BatchOutputStream extends ByteArrayOutputStream {
        BatchOutputStream(int initialCapacity) {
            super(initialCapacity);
        }

        ByteBuffer contents() {
            return ByteBuffer.wrap(buf, 0, count).slice();
        }
    }
}
