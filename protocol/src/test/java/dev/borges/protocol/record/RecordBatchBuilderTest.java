package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.compress.CompressionType;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordBatchBuilderTest {

    private static RecordBatch onlyBatch(MemoryRecords records) {
        return RecordBatch.wrap(records.buffer());
    }

    @Test
    void defaultsToAnUncompressedCreateTimeBatchWithoutProducer() {
        RecordBatch batch = onlyBatch(new RecordBatchBuilder(0).append(10L, null, new byte[] {1}).build());

        assertThat(batch.compressionType()).isEqualTo(CompressionType.NONE);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.producerId()).isEqualTo(-1L);
        assertThat(batch.producerEpoch()).isEqualTo((short) -1);
        assertThat(batch.baseSequence()).isEqualTo(-1);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(-1);
        assertThat(batch.isTransactional()).isFalse();
        assertThat(batch.isControlBatch()).isFalse();
    }

    @Test
    void assignsConsecutiveOffsetsFromTheBaseOffset() {
        RecordBatchBuilder builder = new RecordBatchBuilder(40);
        for (int i = 0; i < 5; i++) {
            builder.append(100L + i, null, new byte[] {(byte) i});
        }

        RecordBatch batch = onlyBatch(builder.build());

        assertThat(builder.recordCount()).isEqualTo(5);
        assertThat(batch.lastOffsetDelta()).isEqualTo(4);
        assertThat(batch.records()).map(Record::offset).containsExactly(40L, 41L, 42L, 43L, 44L);
    }

    @Test
    void tracksTheLargestTimestampNotTheLast() {
        RecordBatch batch = onlyBatch(new RecordBatchBuilder(0)
                .append(500L, null, null).append(900L, null, null).append(100L, null, null).build());

        assertThat(batch.baseTimestamp()).isEqualTo(500L);
        assertThat(batch.maxTimestamp()).isEqualTo(900L);
        assertThat(batch.records()).map(Record::timestamp).containsExactly(500L, 900L, 100L);
    }

    @Test
    void appendWithOffsetLeavesGapsAndLastOffsetDeltaCoversThem() {
        RecordBatch batch = onlyBatch(new RecordBatchBuilder(10)
                .appendWithOffset(12, 1L, null, null, List.of())
                .appendWithOffset(20, 2L, null, null, List.of())
                .build());

        assertThat(batch.recordCount()).isEqualTo(2);
        assertThat(batch.lastOffset()).isEqualTo(20);
        assertThat(batch.records()).map(Record::offset).containsExactly(12L, 20L);
    }

    @Test
    void rejectsOffsetsThatDoNotIncrease() {
        RecordBatchBuilder builder = new RecordBatchBuilder(10).appendWithOffset(15, 1L, null, null, List.of());

        assertThatThrownBy(() -> builder.appendWithOffset(15, 1L, null, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecordBatchBuilder(10).appendWithOffset(9, 1L, null, null, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNegativeTimestampsOtherThanNoTimestamp() {
        assertThatThrownBy(() -> new RecordBatchBuilder(0).append(-5L, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(onlyBatch(new RecordBatchBuilder(0).append(RecordBatch.NO_TIMESTAMP, null, null).build()).records())
                .map(Record::timestamp).containsExactly(RecordBatch.NO_TIMESTAMP);
    }

    @Test
    void configurationIsFixedByTheFirstRecord() {
        RecordBatchBuilder builder = new RecordBatchBuilder(0).append(1L, null, null);

        assertThatThrownBy(() -> builder.compression(CompressionType.GZIP)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.partitionLeaderEpoch(3)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void buildsOnlyOnce() {
        RecordBatchBuilder builder = new RecordBatchBuilder(0).append(1L, null, null);
        builder.build();

        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.append(2L, null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesTransactionalBatchWithoutProducerId() {
        assertThatThrownBy(() -> new RecordBatchBuilder(0).transactional(true).append(1L, null, null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("producer id");
    }

    @Test
    void refusesCompressedControlBatchesAndMixingRecordKinds() {
        assertThatThrownBy(() -> new RecordBatchBuilder(0).controlBatch(true).compression(CompressionType.GZIP)
                .appendControlRecord(1L, ControlRecordType.COMMIT, new EndTransactionMarker(ControlRecordType.COMMIT, 0).value()))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RecordBatchBuilder(0).controlBatch(true).append(1L, null, null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new RecordBatchBuilder(0).appendControlRecord(1L, ControlRecordType.ABORT, null))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void logAppendTimeGivesEveryRecordTheAppendTime() {
        RecordBatch batch = onlyBatch(new RecordBatchBuilder(0).logAppendTime(77_000L)
                .append(1L, null, null).append(2L, null, null).build());

        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(77_000L);
        assertThat(batch.records()).map(Record::timestamp).containsExactly(77_000L, 77_000L);
    }

    @Test
    void buildsAnEmptyBatchWhenNothingWasAppended() {
        RecordBatch batch = onlyBatch(new RecordBatchBuilder(33).producer(5L, (short) 1, 9).build());

        assertThat(batch.sizeInBytes()).isEqualTo(RecordBatch.HEADER_SIZE);
        assertThat(batch.recordCount()).isZero();
        assertThat(batch.baseOffset()).isEqualTo(33);
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.records()).isEmpty();
    }

    @Test
    void builtBatchIsWritableSoTheBrokerCanStampIt() {
        MemoryRecords records = new RecordBatchBuilder(0).append(1L, null, null).build();

        records.batches().iterator().next().setBaseOffset(9);

        assertThat(records.batches().iterator().next().baseOffset()).isEqualTo(9);
    }
}
