package dev.borges.metadata.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Invariants: every record survives encode/decode unchanged, alone and in batches; every strict
 * prefix of an encoding is rejected; arbitrary bytes either decode or fail with
 * {@link MalformedMetadataRecordException}, never another exception.
 */
class MetadataRecordSerdeTest {
    private static final Uuid ID = new Uuid(1, 2);

    @Provide
    Arbitrary<MetadataRecord> records() {
        return MetadataRecordArbitraries.anyRecord();
    }

    @Provide
    Arbitrary<List<MetadataRecord>> batches() {
        return MetadataRecordArbitraries.anyRecord().list().ofMaxSize(20);
    }

    @Property
    void recordSurvivesRoundTrip(@ForAll("records") MetadataRecord record) {
        assertThat(MetadataRecordSerde.decode(ByteBuffer.wrap(MetadataRecordSerde.encode(record)))).isEqualTo(record);
    }

    @Property
    void batchSurvivesRoundTrip(@ForAll("batches") List<MetadataRecord> batch) {
        byte[] bytes = MetadataRecordSerde.encodeBatch(batch);
        assertThat(MetadataRecordSerde.decodeBatch(ByteBuffer.wrap(bytes))).isEqualTo(batch);
    }

    @Property(tries = 200)
    void rejectsEveryTruncatedBatch(@ForAll("batches") List<MetadataRecord> batch) {
        byte[] bytes = MetadataRecordSerde.encodeBatch(batch);
        for (int length = 0; length < bytes.length; length++) {
            ByteBuffer prefix = ByteBuffer.wrap(Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> MetadataRecordSerde.decodeBatch(prefix))
                .isInstanceOf(MalformedMetadataRecordException.class);
        }
    }

    @Property(tries = 200)
    void rejectsEveryTruncatedRecord(@ForAll("records") MetadataRecord record) {
        byte[] bytes = MetadataRecordSerde.encode(record);
        for (int length = 0; length < bytes.length; length++) {
            ByteBuffer prefix = ByteBuffer.wrap(Arrays.copyOf(bytes, length));
            assertThatThrownBy(() -> MetadataRecordSerde.decode(prefix))
                .isInstanceOf(MalformedMetadataRecordException.class);
        }
    }

    @Property
    void arbitraryBytesDecodeOrFailTyped(@ForAll @Size(max = 64) byte[] bytes) {
        try {
            List<MetadataRecord> records = MetadataRecordSerde.decodeBatch(ByteBuffer.wrap(bytes));
            assertThat(MetadataRecordSerde.decodeBatch(ByteBuffer.wrap(MetadataRecordSerde.encodeBatch(records))))
                .isEqualTo(records);
        } catch (MalformedMetadataRecordException expected) {
            // the only failure allowed
        }
    }

    @Property
    void flippedByteDecodesOrFailsTyped(@ForAll("batches") List<MetadataRecord> batch,
                                         @ForAll @IntRange(min = 0, max = 10_000) int where,
                                         @ForAll byte value) {
        byte[] bytes = MetadataRecordSerde.encodeBatch(batch);
        bytes[where % bytes.length] = value;
        try {
            MetadataRecordSerde.decodeBatch(ByteBuffer.wrap(bytes));
        } catch (MalformedMetadataRecordException expected) {
            // the only failure allowed
        }
    }

    @Test
    void rejectsUnknownRecordType() {
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(new byte[] {99, 0})))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("Unknown metadata record type 99");
    }

    @Test
    void rejectsVersionNewerThanKnown() {
        byte[] bytes = MetadataRecordSerde.encode(new RemoveTopicRecord(ID));
        bytes[1] = 1;
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(bytes)))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("version 1 is newer");
    }

    @Test
    void rejectsUnknownBatchFormat() {
        byte[] bytes = MetadataRecordSerde.encodeBatch(List.of(new RemoveTopicRecord(ID)));
        bytes[0] = 7;
        assertThatThrownBy(() -> MetadataRecordSerde.decodeBatch(ByteBuffer.wrap(bytes)))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("batch format 7");
    }

    @Test
    void rejectsBytesLeftOver() {
        byte[] record = MetadataRecordSerde.encode(new RemoveTopicRecord(ID));
        byte[] longer = Arrays.copyOf(record, record.length + 1);
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(longer)))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("left over");
        byte[] batch = MetadataRecordSerde.encodeBatch(List.of(new RemoveTopicRecord(ID)));
        byte[] longerBatch = Arrays.copyOf(batch, batch.length + 2);
        assertThatThrownBy(() -> MetadataRecordSerde.decodeBatch(ByteBuffer.wrap(longerBatch)))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("left over");
    }

    @Test
    void rejectsInvalidUtf8() {
        byte[] bytes = MetadataRecordSerde.encode(new TopicRecord("ab", ID));
        bytes[3] = (byte) 0xff; // type, version, length+1, then 'a'
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(bytes)))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("UTF-8");
    }

    @Test
    void rejectsHugeCountWithoutAllocating() {
        // PARTITION v0: uuid, partition 0, then a replica count of 2^31 - 2.
        byte[] head = MetadataRecordSerde.encode(new PartitionRecord(ID, 0, List.of(), List.of(), 0, 0, 0));
        ByteBuffer bytes = ByteBuffer.allocate(64);
        bytes.put(head, 0, 2 + 16 + 1).put(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});
        bytes.flip();
        assertThatThrownBy(() -> MetadataRecordSerde.decode(bytes))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("replicas");
    }

    @Test
    void rejectsNullWhereRequired() {
        byte[] bytes = MetadataRecordSerde.encode(new TopicRecord("", ID));
        bytes[2] = 0; // length + 1 = 0 means null
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(bytes, 0, bytes.length)))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("null");
    }

    @Test
    void rejectsInvalidFieldValue() {
        byte[] bytes = MetadataRecordSerde.encode(new PartitionRecord(ID, 0, List.of(1), List.of(1), 1, 0, 0));
        bytes[18] = 1; // partitionId zigzag 1 = -1
        assertThatThrownBy(() -> MetadataRecordSerde.decode(ByteBuffer.wrap(bytes)))
            .isInstanceOf(MalformedMetadataRecordException.class)
            .hasMessageContaining("partitionId");
    }

    @Test
    void encodesSmallRecordsCompactly() {
        var change = new PartitionChangeRecord(ID, 3, Optional.of(List.of(1, 2)), OptionalInt.empty(), Optional.empty());
        // type, version, uuid, partition, isr (count + 2 ids), leader, replicas
        assertThat(MetadataRecordSerde.encode(change)).hasSize(1 + 1 + 16 + 1 + 3 + 1 + 1);
        assertThat(MetadataRecordSerde.decode(ByteBuffer.wrap(MetadataRecordSerde.encode(change)))).isEqualTo(change);
    }
}
