package dev.borges.protocol.record;

import java.nio.ByteBuffer;
import java.util.List;

/** Hand-made batches for tests of bad input: a valid header around whatever records region a test needs. */
final class TestBatches {
    private TestBatches() {
    }

    /** A batch of three small uncompressed records at offsets 0-2. */
    static ByteBuffer small() {
        return new RecordBatchBuilder(0)
                .append(1_000L, SampleRecord.bytes("k0"), SampleRecord.bytes("v0"))
                .append(1_001L, null, SampleRecord.bytes("v1"), List.of(Header.of("h", "x")))
                .append(1_002L, SampleRecord.bytes("k2"), null)
                .build().buffer();
    }

    /** A copy of {@code batch} in a writable buffer of its own. */
    static ByteBuffer copy(ByteBuffer batch) {
        ByteBuffer copy = ByteBuffer.allocate(batch.remaining());
        copy.put(batch.duplicate()).flip();
        return copy;
    }

    /**
     * A batch with the given attributes and record count whose records region is exactly {@code
     * records}, with a correct batchLength and CRC, so that only the records are wrong.
     */
    static ByteBuffer withRecordsRegion(int attributes, int recordCount, byte[] records) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + records.length);
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, 0L);
        batch.putInt(RecordBatch.BATCH_LENGTH_OFFSET, batch.capacity() - RecordBatch.LOG_OVERHEAD);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, -1);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, Math.max(recordCount - 1, 0));
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, 1_000L);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, 1_000L);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, -1L);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, (short) -1);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, -1);
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, recordCount);
        batch.put(RecordBatch.RECORDS_OFFSET, records);
        return fixCrc(batch);
    }

    /** Rewrites a whole batch's CRC so decoding gets past validation to the bytes under test. */
    static ByteBuffer fixCrc(ByteBuffer batch) {
        RecordBatch view = RecordBatch.wrap(batch);
        batch.putInt(batch.position() + RecordBatch.CRC_OFFSET, (int) view.computeChecksum());
        return batch;
    }

    /** The records region of a batch, as bytes. */
    static byte[] recordsRegion(ByteBuffer batch) {
        ByteBuffer region = batch.duplicate().position(batch.position() + RecordBatch.RECORDS_OFFSET);
        byte[] bytes = new byte[region.remaining()];
        region.get(bytes);
        return bytes;
    }
}
