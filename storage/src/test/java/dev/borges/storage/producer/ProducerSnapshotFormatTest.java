package dev.borges.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The snapshot format reads back what it wrote and refuses files it did not write whole. */
class ProducerSnapshotFormatTest {
    /** Header, two producers' fixed fields, seven batches. */
    static final int SIZE = 22 + 2 * 31 + 7 * 28;

    static final List<ProducerStateEntry> PRODUCERS = List.of(
        new ProducerStateEntry(9L, (short) 2, 7, 1_000L, OptionalLong.of(120L), List.of(
            new BatchMetadata(0, 4, 104, 4, 990L),
            new BatchMetadata(5, 5, 110, 0, 1_000L))),
        new ProducerStateEntry(3L, (short) 0, ProducerStateEntry.NO_COORDINATOR_EPOCH, 2_000L, OptionalLong.empty(), List.of(
            new BatchMetadata(Integer.MAX_VALUE - 1, 0, 50, 2, 1_500L),
            new BatchMetadata(1, 1, 60, 0, 1_600L),
            new BatchMetadata(2, 3, 62, 1, 1_700L),
            new BatchMetadata(4, 4, 70, 0, 1_800L),
            new BatchMetadata(5, 9, 75, 4, 2_000L))));

    @Test
    void readsBackEveryProducerWithAllItsBatchesSortedByProducerId() throws Exception {
        byte[] bytes = ProducerSnapshotFormat.encode(200L, PRODUCERS);

        assertThat(ProducerSnapshotFormat.decode(bytes, 200L)).containsExactly(PRODUCERS.get(1), PRODUCERS.get(0));
    }

    @Test
    void readsBackAnEmptyState() throws Exception {
        assertThat(ProducerSnapshotFormat.decode(ProducerSnapshotFormat.encode(0L, List.of()), 0L)).isEmpty();
    }

    @Test
    void startsWithMagicAndVersionAndHasTheDocumentedSize() {
        byte[] bytes = ProducerSnapshotFormat.encode(200L, PRODUCERS);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);

        assertThat(buffer.getInt(0)).isEqualTo(0x42505354);
        assertThat(buffer.getShort(4)).isEqualTo((short) 1);
        assertThat(buffer.getLong(10)).isEqualTo(200L);
        assertThat(buffer.getInt(18)).isEqualTo(2);
        assertThat(bytes).hasSize(SIZE);
    }

    @Test
    void refusesSnapshotWhoseOffsetDiffersFromItsName() {
        byte[] bytes = ProducerSnapshotFormat.encode(200L, PRODUCERS);

        assertThatThrownBy(() -> ProducerSnapshotFormat.decode(bytes, 300L))
            .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("200");
    }

    @Test
    void refusesUnknownVersion() {
        byte[] bytes = ProducerSnapshotFormat.encode(200L, PRODUCERS);
        bytes[5] = 2;

        assertThatThrownBy(() -> ProducerSnapshotFormat.decode(bytes, 200L))
            .isInstanceOf(CorruptSnapshotException.class).hasMessageContaining("version");
    }

    @Test
    void trailingBytesAreDetected() {
        byte[] bytes = Arrays.copyOf(ProducerSnapshotFormat.encode(200L, PRODUCERS), SIZE + 1);

        assertThatThrownBy(() -> ProducerSnapshotFormat.decode(bytes, 200L)).isInstanceOf(CorruptSnapshotException.class);
    }
}
