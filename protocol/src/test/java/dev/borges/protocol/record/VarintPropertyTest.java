package dev.borges.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.types.Varints;
import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.kafka.common.utils.internals.ByteUtils;

/**
 * Invariants of the varints records are made of: reading gives back what was written, the size
 * functions predict exactly the bytes written, and the bytes are Kafka's.
 */
class VarintPropertyTest {

    @Property(tries = 2_000)
    void varintRoundTripsInAsManyBytesAsItsSizeSays(@ForAll int value) {
        ByteBuffer buffer = ByteBuffer.allocate(10);
        Varints.writeVarint(value, buffer);

        assertThat(buffer.position()).isEqualTo(Varints.sizeOfVarint(value)).isEqualTo(ByteUtils.sizeOfVarint(value));
        assertThat(written(buffer)).containsExactly(kafkaVarint(value));
        assertThat(Varints.readVarint(buffer.flip())).isEqualTo(value);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Property(tries = 2_000)
    void varlongRoundTripsInAsManyBytesAsItsSizeSays(@ForAll long value) {
        ByteBuffer buffer = ByteBuffer.allocate(10);
        Varints.writeVarlong(value, buffer);

        assertThat(buffer.position()).isEqualTo(Varints.sizeOfVarlong(value)).isEqualTo(ByteUtils.sizeOfVarlong(value));
        ByteBuffer kafka = ByteBuffer.allocate(10);
        ByteUtils.writeVarlong(value, kafka);
        assertThat(written(buffer)).containsExactly(written(kafka));
        assertThat(Varints.readVarlong(buffer.flip())).isEqualTo(value);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Property(tries = 2_000)
    void unsignedVarintRoundTripsInAsManyBytesAsItsSizeSays(@ForAll int value) {
        ByteBuffer buffer = ByteBuffer.allocate(10);
        Varints.writeUnsignedVarint(value, buffer);

        assertThat(buffer.position()).isEqualTo(Varints.sizeOfUnsignedVarint(value)).isEqualTo(ByteUtils.sizeOfUnsignedVarint(value));
        assertThat(Varints.readUnsignedVarint(buffer.flip())).isEqualTo(value);
    }

    @Property(tries = 2_000)
    void unsignedVarlongRoundTripsInAsManyBytesAsItsSizeSays(@ForAll long value) {
        ByteBuffer buffer = ByteBuffer.allocate(10);
        Varints.writeUnsignedVarlong(value, buffer);

        assertThat(buffer.position()).isEqualTo(Varints.sizeOfUnsignedVarlong(value)).isEqualTo(ByteUtils.sizeOfUnsignedVarlong(value));
        assertThat(Varints.readUnsignedVarlong(buffer.flip())).isEqualTo(value);
    }

    private static byte[] kafkaVarint(int value) {
        ByteBuffer buffer = ByteBuffer.allocate(10);
        ByteUtils.writeVarint(value, buffer);
        return written(buffer);
    }

    private static byte[] written(ByteBuffer buffer) {
        return Arrays.copyOf(buffer.array(), buffer.position());
    }
}
