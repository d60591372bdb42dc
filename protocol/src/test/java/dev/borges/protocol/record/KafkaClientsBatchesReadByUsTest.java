package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.compress.CompressionType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Batches kafka-clients builds, as producers and brokers send them, must read back record for record. */
class KafkaClientsBatchesReadByUsTest {
    private static final long BASE_OFFSET = 300L;
    private static final long BASE_TIMESTAMP = 1_700_000_000_000L;
    private static final byte MAGIC_V2 = 2;

    static Stream<Arguments> kafkaCompressions() {
        return Stream.of(
                Arguments.of(CompressionType.NONE, Compression.NONE),
                Arguments.of(CompressionType.GZIP, Compression.gzip().build()),
                Arguments.of(CompressionType.GZIP, Compression.gzip().level(9).build()),
                Arguments.of(CompressionType.SNAPPY, Compression.snappy().build()),
                Arguments.of(CompressionType.LZ4, Compression.lz4().build()),
                Arguments.of(CompressionType.LZ4, Compression.lz4().level(17).build()),
                Arguments.of(CompressionType.ZSTD, Compression.zstd().build()),
                Arguments.of(CompressionType.ZSTD, Compression.zstd().level(19).build()));
    }

    @ParameterizedTest
    @MethodSource("kafkaCompressions")
    void readsIdempotentBatchesBuiltByKafkaClients(CompressionType expected, Compression compression) {
        List<SampleRecord> written = SampleRecord.variety(BASE_OFFSET, BASE_TIMESTAMP);
        MemoryRecordsBuilder builder = org.apache.kafka.common.record.internal.MemoryRecords.builder(
                ByteBuffer.allocate(1024), MAGIC_V2, compression, org.apache.kafka.common.record.TimestampType.CREATE_TIME,
                BASE_OFFSET, BASE_TIMESTAMP, 77L, (short) 2, 40, false, 5);
        written.forEach(record -> builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
                record.kafkaHeaders()));

        RecordBatch batch = onlyBatch(builder.build().buffer());

        batch.ensureValid();
        assertThat(batch.isValid()).isTrue();
        assertThat(batch.compressionType()).isEqualTo(expected);
        assertThat(batch.baseOffset()).isEqualTo(BASE_OFFSET);
        assertThat(batch.lastOffset()).isEqualTo(BASE_OFFSET + written.size() - 1);
        assertThat(batch.recordCount()).isEqualTo(written.size());
        assertThat(batch.maxTimestamp()).isEqualTo(BASE_TIMESTAMP + 1000);
        assertThat(batch.producerId()).isEqualTo(77L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 2);
        assertThat(batch.baseSequence()).isEqualTo(40);
        assertThat(batch.lastSequence()).isEqualTo(45);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(5);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.isTransactional()).isFalse();
        assertThat(batch.isControlBatch()).isFalse();
        List<Record> records = batch.records();
        assertThat(records).map(SampleRecord::of).containsExactlyElementsOf(written);
        assertThat(records).map(Record::sequence).containsExactly(40, 41, 42, 43, 44, 45);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void readsTransactionalBatchesBuiltByKafkaClients(CompressionType compression) {
        org.apache.kafka.common.record.internal.MemoryRecords kafka =
                org.apache.kafka.common.record.internal.MemoryRecords.withTransactionalRecords(
                        BASE_OFFSET, kafkaCompression(compression), 5L, (short) 1, 0, 3,
                        new SimpleRecord(BASE_TIMESTAMP, SampleRecord.bytes("k1"), SampleRecord.bytes("v1")),
                        new SimpleRecord(BASE_TIMESTAMP + 1, null, SampleRecord.bytes("v2")));

        RecordBatch batch = onlyBatch(kafka.buffer());

        batch.ensureValid();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControlBatch()).isFalse();
        assertThat(batch.producerId()).isEqualTo(5L);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(3);
        assertThat(batch.records()).map(SampleRecord::of).containsExactly(
                new SampleRecord(BASE_OFFSET, BASE_TIMESTAMP, SampleRecord.bytes("k1"), SampleRecord.bytes("v1"), List.of()),
                new SampleRecord(BASE_OFFSET + 1, BASE_TIMESTAMP + 1, null, SampleRecord.bytes("v2"), List.of()));
    }

    @ParameterizedTest
    @EnumSource(value = ControlRecordType.class, names = {"COMMIT", "ABORT"})
    void readsTransactionMarkersWrittenByKafkaClients(ControlRecordType type) {
        var kafkaMarker = new org.apache.kafka.common.record.internal.EndTransactionMarker(
                org.apache.kafka.common.record.internal.ControlRecordType.valueOf(type.name()), 23);
        var kafka = org.apache.kafka.common.record.internal.MemoryRecords.withEndTransactionMarker(
                BASE_OFFSET, BASE_TIMESTAMP, 8, 31L, (short) 2, kafkaMarker);

        RecordBatch batch = onlyBatch(kafka.buffer());

        batch.ensureValid();
        assertThat(batch.isControlBatch()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.producerId()).isEqualTo(31L);
        Record record = batch.records().get(0);
        assertThat(ControlRecordType.of(record)).isEqualTo(type);
        assertThat(EndTransactionMarker.parse(record)).isEqualTo(new EndTransactionMarker(type, 23));
        assertThat(record.offset()).isEqualTo(BASE_OFFSET);
        assertThat(record.timestamp()).isEqualTo(BASE_TIMESTAMP);
    }

    @Test
    void readsLogAppendTimeBatchesBuiltByKafkaClients() {
        MemoryRecordsBuilder builder = org.apache.kafka.common.record.internal.MemoryRecords.builder(
                ByteBuffer.allocate(256), MAGIC_V2, Compression.snappy().build(),
                org.apache.kafka.common.record.TimestampType.LOG_APPEND_TIME, 0L, BASE_TIMESTAMP + 99);
        builder.append(BASE_TIMESTAMP, null, SampleRecord.bytes("a"));
        builder.append(BASE_TIMESTAMP + 1, null, SampleRecord.bytes("b"));

        RecordBatch batch = onlyBatch(builder.build().buffer());

        batch.ensureValid();
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.records()).map(Record::timestamp).containsExactly(BASE_TIMESTAMP + 99, BASE_TIMESTAMP + 99);
    }

    @Test
    void readsEveryBatchOfABufferBuiltByKafkaClients() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        long offset = 0;
        for (CompressionType compression : CompressionType.values()) {
            buffer.put(org.apache.kafka.common.record.internal.MemoryRecords.withRecords(offset, kafkaCompression(compression),
                    new SimpleRecord(BASE_TIMESTAMP, null, SampleRecord.bytes(compression.configName()))).buffer());
            offset++;
        }
        buffer.flip();

        List<String> values = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableView(buffer).batches()) {
            batch.ensureValid();
            for (Record record : batch.records()) {
                offsets.add(record.offset());
                values.add(new String(record.valueBytes(), java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        assertThat(values).containsExactly("none", "gzip", "snappy", "lz4", "zstd");
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L);
    }

    @Test
    void computesTheSameChecksumAsKafkaClients() {
        var kafka = org.apache.kafka.common.record.internal.MemoryRecords.withRecords(Compression.zstd().build(),
                new SimpleRecord(BASE_TIMESTAMP, SampleRecord.bytes("k"), SampleRecord.bytes("v")));

        RecordBatch batch = onlyBatch(kafka.buffer());

        assertThat(batch.computeChecksum()).isEqualTo(kafka.batches().iterator().next().checksum());
        assertThat(batch.checksum()).isEqualTo(batch.computeChecksum());
    }

    static Compression kafkaCompression(CompressionType compression) {
        return Compression.of(compression.configName()).build();
    }

    static RecordBatch onlyBatch(ByteBuffer buffer) {
        List<RecordBatch> batches = new ArrayList<>();
        MemoryRecords.readableView(buffer).batches().forEach(batches::add);
        assertThat(batches).hasSize(1);
        return batches.get(0);
    }
}
