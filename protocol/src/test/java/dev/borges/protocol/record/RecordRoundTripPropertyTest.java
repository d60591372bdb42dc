package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.compress.CompressionType;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecordsBuilder;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

/**
 * Invariant: any record set survives builder → bytes → reader unchanged (offsets, timestamps, keys,
 * values, headers), for every codec, and Kafka's implementation agrees in both directions.
 */
class RecordRoundTripPropertyTest {

    @Provide
    Arbitrary<List<RecordArbitraries.Draft>> recordSets() {
        return RecordArbitraries.drafts(30, 2_000);
    }

    @Property(tries = 150)
    void recordsRoundTripUnchangedThroughBuilderAndReader(
            @ForAll CompressionType compression,
            @ForAll("recordSets") List<RecordArbitraries.Draft> drafts,
            @ForAll @LongRange(min = 0, max = 1L << 50) long baseOffset) {
        List<SampleRecord> written = RecordArbitraries.place(drafts, baseOffset);
        RecordBatchBuilder builder = new RecordBatchBuilder(baseOffset).compression(compression);
        written.forEach(record -> record.appendTo(builder));

        RecordBatch batch = RecordBatch.wrap(builder.build().buffer());

        assertThat(batch.isValid()).isTrue();
        assertThat(batch.recordCount()).isEqualTo(written.size());
        assertThat(batch.lastOffset()).isEqualTo(written.get(written.size() - 1).offset());
        assertThat(batch.maxTimestamp()).isEqualTo(written.stream().mapToLong(SampleRecord::timestamp).max().orElseThrow());
        assertThat(batch.records()).map(SampleRecord::of).containsExactlyElementsOf(written);
        assertThat(batch.records()).map(Record::sizeInBytes).allMatch(size -> size >= 7);
    }

    @Property(tries = 60)
    void kafkaClientsReadRandomBatchesUnchanged(
            @ForAll CompressionType compression,
            @ForAll("recordSets") List<RecordArbitraries.Draft> drafts) {
        List<SampleRecord> written = RecordArbitraries.place(drafts, 0);
        RecordBatchBuilder builder = new RecordBatchBuilder(0).compression(compression);
        written.forEach(record -> record.appendTo(builder));

        MutableRecordBatch batch = OurBatchesReadByKafkaClientsTest.onlyKafkaBatch(builder.build());

        batch.ensureValid();
        assertThat(OurBatchesReadByKafkaClientsTest.kafkaRecords(batch)).containsExactlyElementsOf(written);
    }

    @Property(tries = 60)
    void weReadRandomBatchesBuiltByKafkaClients(
            @ForAll CompressionType compression,
            @ForAll("recordSets") List<RecordArbitraries.Draft> drafts) {
        List<SampleRecord> written = RecordArbitraries.place(drafts, 0);
        MemoryRecordsBuilder builder = org.apache.kafka.common.record.internal.MemoryRecords.builder(
                ByteBuffer.allocate(1024), Compression.of(compression.configName()).build(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0L);
        written.forEach(record -> builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(),
                record.kafkaHeaders()));

        RecordBatch batch = KafkaClientsBatchesReadByUsTest.onlyBatch(builder.build().buffer());

        batch.ensureValid();
        assertThat(batch.records()).map(SampleRecord::of).containsExactlyElementsOf(written);
    }
}
