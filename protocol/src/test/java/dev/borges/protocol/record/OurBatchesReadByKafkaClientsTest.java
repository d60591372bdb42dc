package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.compress.CompressionType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Batches we build must be read by kafka-clients, the reference implementation, exactly as written. */
class OurBatchesReadByKafkaClientsTest {
    private static final long BASE_OFFSET = 1_000L;
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaClientsReadEveryRecordOfOurBatch(CompressionType compression) {
        List<SampleRecord> written = SampleRecord.variety(BASE_OFFSET, BASE_TIMESTAMP);
        RecordBatchBuilder builder = new RecordBatchBuilder(BASE_OFFSET).compression(compression)
                .producer(42L, (short) 3, 17).partitionLeaderEpoch(9);
        written.forEach(record -> record.appendTo(builder));

        MutableRecordBatch batch = onlyKafkaBatch(builder.build());

        batch.ensureValid();
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.compressionType().id).isEqualTo((byte) compression.id());
        assertThat(batch.baseOffset()).isEqualTo(BASE_OFFSET);
        assertThat(batch.lastOffset()).isEqualTo(BASE_OFFSET + written.size() - 1);
        assertThat(batch.countOrNull()).isEqualTo(written.size());
        assertThat(batch.maxTimestamp()).isEqualTo(BASE_TIMESTAMP + 1000);
        assertThat(batch.producerId()).isEqualTo(42L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 3);
        assertThat(batch.baseSequence()).isEqualTo(17);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(9);
        assertThat(batch.isTransactional()).isFalse();
        assertThat(batch.isControlBatch()).isFalse();
        assertThat(batch.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.CREATE_TIME);
        assertThat(kafkaRecords(batch)).containsExactlyElementsOf(written);
        List<Integer> sequences = new ArrayList<>();
        batch.forEach(record -> sequences.add(record.sequence()));
        assertThat(sequences).containsExactly(17, 18, 19, 20, 21, 22);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaClientsReadOurTransactionalBatchWithOffsetGaps(CompressionType compression) {
        List<SampleRecord> written = List.of(
                new SampleRecord(BASE_OFFSET, BASE_TIMESTAMP, SampleRecord.bytes("a"), SampleRecord.bytes("1"), List.of()),
                new SampleRecord(BASE_OFFSET + 4, BASE_TIMESTAMP + 1, SampleRecord.bytes("b"), SampleRecord.bytes("2"), List.of()),
                new SampleRecord(BASE_OFFSET + 9, BASE_TIMESTAMP + 2, SampleRecord.bytes("c"), null, List.of()));
        RecordBatchBuilder builder = new RecordBatchBuilder(BASE_OFFSET).compression(compression)
                .producer(7L, (short) 1, 0).transactional(true);
        written.forEach(record -> record.appendTo(builder));

        MutableRecordBatch batch = onlyKafkaBatch(builder.build());

        batch.ensureValid();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.lastOffset()).isEqualTo(BASE_OFFSET + 9);
        assertThat(kafkaRecords(batch)).containsExactlyElementsOf(written);
    }

    @ParameterizedTest
    @EnumSource(value = ControlRecordType.class, names = {"COMMIT", "ABORT"})
    void kafkaClientsReadOurTransactionMarkers(ControlRecordType type) {
        MemoryRecords markerBatch = new EndTransactionMarker(type, 11)
                .toBatch(BASE_OFFSET, BASE_TIMESTAMP, 99L, (short) 4, 6);

        MutableRecordBatch batch = onlyKafkaBatch(markerBatch);

        batch.ensureValid();
        assertThat(batch.isControlBatch()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(99L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 4);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(6);
        org.apache.kafka.common.record.internal.Record record = batch.iterator().next();
        assertThat(record.offset()).isEqualTo(BASE_OFFSET);
        assertThat(record.timestamp()).isEqualTo(BASE_TIMESTAMP);
        assertThat(org.apache.kafka.common.record.internal.ControlRecordType.parse(record.key()).name()).isEqualTo(type.name());
        org.apache.kafka.common.record.internal.EndTransactionMarker marker =
                org.apache.kafka.common.record.internal.EndTransactionMarker.deserialize(record);
        assertThat(marker.controlType().name()).isEqualTo(type.name());
        assertThat(marker.coordinatorEpoch()).isEqualTo(11);
    }

    @ParameterizedTest
    @EnumSource(value = ControlRecordType.class, names = {"LEADER_CHANGE", "SNAPSHOT_HEADER", "SNAPSHOT_FOOTER", "KRAFT_VERSION", "KRAFT_VOTERS"})
    void kafkaClientsReadTheTypeOfOurOtherControlRecords(ControlRecordType type) {
        MemoryRecords records = new RecordBatchBuilder(0).controlBatch(true)
                .appendControlRecord(BASE_TIMESTAMP, type, new byte[] {0, 0})
                .build();

        MutableRecordBatch batch = onlyKafkaBatch(records);

        batch.ensureValid();
        assertThat(batch.isControlBatch()).isTrue();
        assertThat(batch.isTransactional()).isFalse();
        assertThat(org.apache.kafka.common.record.internal.ControlRecordType.parse(batch.iterator().next().key()).type())
                .isEqualTo(type.id());
    }

    @Test
    void kafkaClientsReadLogAppendTimeAsEveryRecordsTimestamp() {
        MemoryRecords records = new RecordBatchBuilder(0).compression(CompressionType.LZ4).logAppendTime(BASE_TIMESTAMP + 500)
                .append(BASE_TIMESTAMP, null, SampleRecord.bytes("x"))
                .append(BASE_TIMESTAMP + 1, null, SampleRecord.bytes("y"))
                .build();

        MutableRecordBatch batch = onlyKafkaBatch(records);

        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(BASE_TIMESTAMP + 500);
        batch.forEach(record -> assertThat(record.timestamp()).isEqualTo(BASE_TIMESTAMP + 500));
    }

    @Test
    void kafkaClientsSeeOffsetEpochAndAppendTimeStampedInPlace() {
        MemoryRecords records = new RecordBatchBuilder(0).compression(CompressionType.GZIP)
                .append(BASE_TIMESTAMP, SampleRecord.bytes("k"), SampleRecord.bytes("v"))
                .append(BASE_TIMESTAMP + 1, SampleRecord.bytes("k"), SampleRecord.bytes("w"))
                .build();
        RecordBatch ours = records.batches().iterator().next();

        ours.setBaseOffset(5_000);
        ours.setPartitionLeaderEpoch(12);
        ours.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, BASE_TIMESTAMP + 60_000);

        MutableRecordBatch batch = onlyKafkaBatch(records);
        batch.ensureValid();
        assertThat(batch.baseOffset()).isEqualTo(5_000);
        assertThat(batch.lastOffset()).isEqualTo(5_001);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(12);
        assertThat(batch.timestampType()).isEqualTo(org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME);
        assertThat(kafkaRecords(batch)).extracting(SampleRecord::offset, SampleRecord::timestamp)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(5_000L, BASE_TIMESTAMP + 60_000),
                        org.assertj.core.groups.Tuple.tuple(5_001L, BASE_TIMESTAMP + 60_000));
    }

    @Test
    void kafkaClientsReadOurDeleteHorizon() {
        long horizon = BASE_TIMESTAMP + 86_400_000L;
        MemoryRecords records = new RecordBatchBuilder(0).deleteHorizon(horizon)
                .append(BASE_TIMESTAMP, SampleRecord.bytes("k"), null)
                .build();

        MutableRecordBatch batch = onlyKafkaBatch(records);

        batch.ensureValid();
        assertThat(batch.deleteHorizonMs()).hasValue(horizon);
        assertThat(batch.iterator().next().timestamp()).isEqualTo(BASE_TIMESTAMP);
    }

    @Test
    void kafkaClientsReadConsecutiveBatchesOfDifferentCodecs() {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        long offset = 0;
        for (CompressionType compression : CompressionType.values()) {
            new RecordBatchBuilder(offset).compression(compression)
                    .append(BASE_TIMESTAMP, null, SampleRecord.bytes(compression.configName()))
                    .build().copyTo(buffer);
            offset++;
        }
        buffer.flip();

        List<String> values = new ArrayList<>();
        for (MutableRecordBatch batch : org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(buffer).batches()) {
            batch.ensureValid();
            batch.forEach(record -> values.add(new String(SampleRecord.toArray(record.value()), java.nio.charset.StandardCharsets.UTF_8)));
        }
        assertThat(values).containsExactly("none", "gzip", "snappy", "lz4", "zstd");
    }

    static MutableRecordBatch onlyKafkaBatch(MemoryRecords records) {
        List<MutableRecordBatch> batches = new ArrayList<>();
        org.apache.kafka.common.record.internal.MemoryRecords.readableRecords(records.buffer()).batches().forEach(batches::add);
        assertThat(batches).hasSize(1);
        return batches.get(0);
    }

    static List<SampleRecord> kafkaRecords(MutableRecordBatch batch) {
        List<SampleRecord> records = new ArrayList<>();
        batch.forEach(record -> records.add(SampleRecord.of(record)));
        return records;
    }
}
