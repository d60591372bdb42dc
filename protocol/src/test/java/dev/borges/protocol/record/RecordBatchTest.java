package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.compress.CompressionType;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchTest {
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    private static RecordBatch transactionalGzipBatch() {
        return RecordBatch.wrap(new RecordBatchBuilder(500).compression(CompressionType.GZIP)
                .producer(123L, (short) 7, 1_000).transactional(true).partitionLeaderEpoch(4)
                .append(BASE_TIMESTAMP + 20, SampleRecord.bytes("a"), SampleRecord.bytes("1"))
                .appendWithOffset(503, BASE_TIMESTAMP, null, SampleRecord.bytes("2"), List.of())
                .build().buffer());
    }

    @Test
    void exposesEveryHeaderFieldAndWhatFollowsFromThem() {
        RecordBatch batch = transactionalGzipBatch();

        assertThat(batch.baseOffset()).isEqualTo(500);
        assertThat(batch.batchLength()).isEqualTo(batch.sizeInBytes() - 12);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(4);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.attributes()).isEqualTo((short) (0x10 | CompressionType.GZIP.id()));
        assertThat(batch.lastOffsetDelta()).isEqualTo(3);
        assertThat(batch.baseTimestamp()).isEqualTo(BASE_TIMESTAMP + 20);
        assertThat(batch.maxTimestamp()).isEqualTo(BASE_TIMESTAMP + 20);
        assertThat(batch.producerId()).isEqualTo(123L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 7);
        assertThat(batch.baseSequence()).isEqualTo(1_000);
        assertThat(batch.recordCount()).isEqualTo(2);
        assertThat(batch.compressionType()).isEqualTo(CompressionType.GZIP);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControlBatch()).isFalse();
        assertThat(batch.hasDeleteHorizon()).isFalse();
        assertThat(batch.deleteHorizonMs()).isEmpty();
        assertThat(batch.hasProducerId()).isTrue();
        assertThat(batch.lastOffset()).isEqualTo(503);
        assertThat(batch.nextOffset()).isEqualTo(504);
        assertThat(batch.lastSequence()).isEqualTo(1_003);
    }

    @Test
    void headerFieldsSitAtTheDocumentedByteOffsets() {
        RecordBatch batch = transactionalGzipBatch();
        ByteBuffer bytes = batch.buffer();

        assertThat(bytes.getLong(0)).isEqualTo(batch.baseOffset());
        assertThat(bytes.getInt(8)).isEqualTo(batch.batchLength());
        assertThat(bytes.getInt(12)).isEqualTo(batch.partitionLeaderEpoch());
        assertThat(bytes.get(16)).isEqualTo(batch.magic());
        assertThat(Integer.toUnsignedLong(bytes.getInt(17))).isEqualTo(batch.checksum());
        assertThat(bytes.getShort(21)).isEqualTo(batch.attributes());
        assertThat(bytes.getInt(23)).isEqualTo(batch.lastOffsetDelta());
        assertThat(bytes.getLong(27)).isEqualTo(batch.baseTimestamp());
        assertThat(bytes.getLong(35)).isEqualTo(batch.maxTimestamp());
        assertThat(bytes.getLong(43)).isEqualTo(batch.producerId());
        assertThat(bytes.getShort(51)).isEqualTo(batch.producerEpoch());
        assertThat(bytes.getInt(53)).isEqualTo(batch.baseSequence());
        assertThat(bytes.getInt(57)).isEqualTo(batch.recordCount());
        assertThat(RecordBatch.HEADER_SIZE).isEqualTo(61);
    }

    @Test
    void acceptsTheBatchItBuilt() {
        RecordBatch batch = transactionalGzipBatch();

        assertThat(batch.isValid()).isTrue();
        batch.ensureValid();
        assertThat(batch.checksum()).isEqualTo(batch.computeChecksum());
    }

    @Test
    void rejectsBatchWithBadCrcWhereverAByteAfterTheCrcFieldFlips() {
        ByteBuffer original = TestBatches.small();
        for (int index = RecordBatch.ATTRIBUTES_OFFSET; index < original.limit(); index++) {
            ByteBuffer corrupted = TestBatches.copy(original);
            corrupted.put(index, (byte) (corrupted.get(index) ^ 0x01));
            RecordBatch batch = RecordBatch.wrap(corrupted);

            assertThat(batch.isValid()).as("flipped byte %d", index).isFalse();
            assertThatThrownBy(batch::ensureValid)
                    .as("flipped byte %d", index)
                    .isInstanceOf(CorruptRecordException.class)
                    .hasMessageContaining("base offset 0")
                    .hasMessageContaining("stored CRC 0x")
                    .hasMessageContaining("computed 0x");
        }
    }

    @Test
    void rejectsBatchWhoseStoredCrcIsWrong() {
        ByteBuffer corrupted = TestBatches.copy(TestBatches.small());
        corrupted.putInt(RecordBatch.CRC_OFFSET, corrupted.getInt(RecordBatch.CRC_OFFSET) + 1);

        assertThatThrownBy(RecordBatch.wrap(corrupted)::ensureValid).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void stampingBaseOffsetAndLeaderEpochKeepsTheCrcValid() {
        ByteBuffer bytes = TestBatches.copy(TestBatches.small());
        RecordBatch batch = RecordBatch.wrap(bytes);
        long crc = batch.checksum();

        batch.setBaseOffset(9_000_000_000L);
        batch.setPartitionLeaderEpoch(77);

        assertThat(batch.checksum()).isEqualTo(crc);
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.baseOffset()).isEqualTo(9_000_000_000L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(77);
        assertThat(bytes.getLong(0)).as("written through to the buffer").isEqualTo(9_000_000_000L);
        assertThat(batch.records()).map(Record::offset).containsExactly(9_000_000_000L, 9_000_000_001L, 9_000_000_002L);
    }

    @Test
    void stampingLogAppendTimeRewritesAttributesMaxTimestampAndCrc() {
        RecordBatch batch = RecordBatch.wrap(TestBatches.copy(TestBatches.small()));
        long crcBefore = batch.checksum();

        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 5_000L);

        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(5_000L);
        assertThat(batch.checksum()).isNotEqualTo(crcBefore);
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.records()).map(Record::timestamp).containsOnly(5_000L);
    }

    @Test
    void stampingCreateTimeBackClearsTheTimestampTypeBit() {
        RecordBatch batch = RecordBatch.wrap(TestBatches.copy(TestBatches.small()));
        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 5_000L);

        batch.setMaxTimestamp(TimestampType.CREATE_TIME, 1_002L);

        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.attributes() & 0x08).isZero();
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.records()).map(Record::timestamp).containsExactly(1_000L, 1_001L, 1_002L);
    }

    @Test
    void sequencesWrapPastIntegerMaxValueToZero() {
        RecordBatch batch = RecordBatch.wrap(new RecordBatchBuilder(0).producer(1L, (short) 0, Integer.MAX_VALUE - 1)
                .append(1L, null, new byte[1]).append(2L, null, new byte[1]).append(3L, null, new byte[1])
                .build().buffer());

        assertThat(batch.lastSequence()).isZero();
        assertThat(batch.records()).map(Record::sequence).containsExactly(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0);
    }

    @Test
    void recordsWithoutProducerHaveNoSequence() {
        RecordBatch batch = RecordBatch.wrap(TestBatches.small());

        assertThat(batch.hasProducerId()).isFalse();
        assertThat(batch.lastSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(batch.records()).map(Record::sequence).containsOnly(RecordBatch.NO_SEQUENCE);
    }

    @Test
    void wrapViewsTheBatchAtTheBufferPositionWithoutMovingIt() {
        ByteBuffer batchBytes = TestBatches.small();
        ByteBuffer buffer = ByteBuffer.allocate(batchBytes.remaining() + 10);
        buffer.position(3);
        buffer.put(batchBytes.duplicate());
        buffer.position(3);

        RecordBatch batch = RecordBatch.wrap(buffer);
        batch.setBaseOffset(42);

        assertThat(buffer.position()).isEqualTo(3);
        assertThat(batch.sizeInBytes()).isEqualTo(batchBytes.remaining());
        assertThat(buffer.getLong(3)).isEqualTo(42);
        assertThat(batch.isValid()).isTrue();
    }

    @Test
    void wrapRejectsATruncatedBatch() {
        ByteBuffer truncated = TestBatches.small();
        truncated.limit(truncated.limit() - 1);

        assertThatThrownBy(() -> RecordBatch.wrap(truncated))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void deleteHorizonIsTheBaseTimestampWhenAttributeBitSixIsSet() {
        RecordBatch batch = RecordBatch.wrap(new RecordBatchBuilder(0).deleteHorizon(9_999L)
                .append(100L, SampleRecord.bytes("k"), null).build().buffer());

        assertThat(batch.hasDeleteHorizon()).isTrue();
        assertThat(batch.attributes() & 0x40).isEqualTo(0x40);
        assertThat(batch.deleteHorizonMs()).hasValue(9_999L);
        assertThat(batch.records()).map(Record::timestamp).containsExactly(100L);
    }
}
