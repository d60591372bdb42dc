package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.CorruptRecordException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ControlRecordTest {

    @ParameterizedTest
    @EnumSource(value = ControlRecordType.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void controlTypeIdsAndKeysMatchKafka(ControlRecordType type) {
        var kafka = org.apache.kafka.common.record.internal.ControlRecordType.valueOf(type.name());

        assertThat(type.id()).isEqualTo(kafka.type());
        assertThat(type.key()).containsExactly(SampleRecord.toArray(kafka.recordKey()));
        assertThat(ControlRecordType.parseKey(ByteBuffer.wrap(type.key()))).isEqualTo(type);
    }

    @Test
    void unknownControlTypeIdsReadAsUnknown() {
        ByteBuffer key = ByteBuffer.allocate(4).putShort((short) 0).putShort((short) 99).flip();

        assertThat(ControlRecordType.parseKey(key)).isEqualTo(ControlRecordType.UNKNOWN);
    }

    @Test
    void rejectsShortOrNegativeVersionControlKeys() {
        assertThatThrownBy(() -> ControlRecordType.parseKey(ByteBuffer.wrap(new byte[3]))).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> ControlRecordType.parseKey(null)).isInstanceOf(CorruptRecordException.class);
        ByteBuffer negativeVersion = ByteBuffer.allocate(4).putShort((short) -1).putShort((short) 1).flip();
        assertThatThrownBy(() -> ControlRecordType.parseKey(negativeVersion)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void markerValueIsVersionThenCoordinatorEpochAsKafkaWritesIt() {
        EndTransactionMarker marker = new EndTransactionMarker(ControlRecordType.COMMIT, 0x01020304);
        var kafka = new org.apache.kafka.common.record.internal.EndTransactionMarker(
                org.apache.kafka.common.record.internal.ControlRecordType.COMMIT, 0x01020304);

        assertThat(marker.value()).containsExactly(0, 0, 1, 2, 3, 4);
        assertThat(marker.value()).containsExactly(SampleRecord.toArray(kafka.serializeValue()));
    }

    @Test
    void markerBatchRoundTrips() {
        MemoryRecords records = new EndTransactionMarker(ControlRecordType.ABORT, 8).toBatch(70, 5_000L, 3L, (short) 2, 1);
        RecordBatch batch = records.batches().iterator().next();

        Record record = batch.records().get(0);

        assertThat(batch.isControlBatch()).isTrue();
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.baseSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(record.offset()).isEqualTo(70);
        assertThat(EndTransactionMarker.parse(record)).isEqualTo(new EndTransactionMarker(ControlRecordType.ABORT, 8));
    }

    @Test
    void onlyCommitAndAbortAreTransactionMarkers() {
        assertThatThrownBy(() -> new EndTransactionMarker(ControlRecordType.LEADER_CHANGE, 1))
                .isInstanceOf(IllegalArgumentException.class);
        MemoryRecords leaderChange = new RecordBatchBuilder(0).controlBatch(true)
                .appendControlRecord(1L, ControlRecordType.LEADER_CHANGE, new byte[6]).build();
        Record record = leaderChange.batches().iterator().next().records().get(0);

        assertThatThrownBy(() -> EndTransactionMarker.parse(record)).isInstanceOf(CorruptRecordException.class);
    }

    @Test
    void rejectsMarkerWithShortOrMissingValue() {
        MemoryRecords shortValue = new RecordBatchBuilder(0).controlBatch(true).producer(1L, (short) 0, -1).transactional(true)
                .appendControlRecord(1L, ControlRecordType.COMMIT, new byte[5]).build();
        Record record = shortValue.batches().iterator().next().records().get(0);

        assertThatThrownBy(() -> EndTransactionMarker.parse(record))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("5 bytes");
    }
}
