package dev.borges.storage.producer;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Invariant: no damaged snapshot is ever read as a state, whichever byte is damaged or wherever it is cut. */
class ProducerSnapshotFormatPropertyTest {

    @Property(tries = 300)
    void anySingleDamagedByteIsDetected(@ForAll @IntRange(min = 0, max = ProducerSnapshotFormatTest.SIZE - 1) int position,
                                        @ForAll @IntRange(min = 1, max = 255) int flipMask) {
        byte[] bytes = ProducerSnapshotFormat.encode(200L, ProducerSnapshotFormatTest.PRODUCERS);
        bytes[position] ^= (byte) flipMask;

        assertThatThrownBy(() -> ProducerSnapshotFormat.decode(bytes, 200L)).isInstanceOf(CorruptSnapshotException.class);
    }

    @Property(tries = 300)
    void anyTruncationIsDetected(@ForAll @IntRange(min = 0, max = ProducerSnapshotFormatTest.SIZE - 1) int length) {
        byte[] bytes = Arrays.copyOf(ProducerSnapshotFormat.encode(200L, ProducerSnapshotFormatTest.PRODUCERS), length);

        assertThatThrownBy(() -> ProducerSnapshotFormat.decode(bytes, 200L)).isInstanceOf(CorruptSnapshotException.class);
    }
}
