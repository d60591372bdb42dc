package dev.borges.protocol.message;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.borges.protocol.MalformedMessageException;
import dev.borges.protocol.ProtocolException;
import dev.borges.protocol.RequestCodec;
import dev.borges.protocol.message.MessageSchemas.MessageVersion;
import dev.borges.protocol.types.Message;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Hostile input never escapes as anything but a {@link ProtocolException}: random bytes and
 * mutated valid messages (flipped bytes, truncation, inserted garbage, huge lengths) fed to every
 * message decoder either decode or fail with a typed error — never a BufferUnderflowException,
 * NegativeArraySizeException, OutOfMemoryError or a hang.
 */
class MessageFuzzTest {
    /** Far more than any decode takes; a try that runs longer is a hang. */
    private static final Duration HANG = Duration.ofSeconds(5);

    @Property(tries = 4000)
    void mutatedMessagesFailOnlyWithProtocolExceptions(@ForAll("messageVersions") MessageVersion mv, @ForAll long seed) {
        Random random = new Random(seed);
        Message valid = new RandomMessages(mv.spec(), mv.version(), seed).build();
        byte[] bytes = mutate(toArray(valid.toByteBuffer(mv.version())), random);
        assertDecodesOrFailsCleanly(mv, bytes);
    }

    @Property(tries = 2000)
    void randomBytesFailOnlyWithProtocolExceptions(@ForAll("messageVersions") MessageVersion mv, @ForAll long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        assertDecodesOrFailsCleanly(mv, bytes);
    }

    @Property(tries = 2000)
    void randomRequestFramesFailOnlyWithProtocolExceptions(@ForAll("messageVersions") MessageVersion mv, @ForAll long seed) {
        Random random = new Random(seed);
        Message valid = new RandomMessages(mv.spec(), mv.version(), seed).build();
        ByteBuffer body = valid.toByteBuffer(mv.version());
        // A plausible header (any API key, any version) in front of a possibly mutated body.
        ByteBuffer frame = ByteBuffer.allocate(10 + body.remaining());
        frame.putShort((short) random.nextInt(100)).putShort((short) random.nextInt(20)).putInt(random.nextInt())
            .putShort((short) -1).put(body).flip();
        byte[] bytes = mutate(toArray(frame), random);
        assertThatCode(() -> assertTimeoutPreemptively(HANG, () -> {
            try {
                RequestCodec.decode(ByteBuffer.wrap(bytes));
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
        })).doesNotThrowAnyException();
    }

    @Provide
    Arbitrary<MessageVersion> messageVersions() {
        return Arbitraries.of(MessageSchemas.allVersions());
    }

    @Test
    void hugeArrayCountFailsWithoutAllocating() {
        // MetadataRequest v1: Topics is a nullable int32-counted array; claim 2^31-1 topics in 4 bytes.
        ByteBuffer bytes = ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).flip();
        assertThatThrownBy(() -> new MetadataRequestData().read(bytes, (short) 1))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("Topics")
            .hasMessageContaining("2147483647");
    }

    @Test
    void hugeCountOfFixedSizeElementsFailsBeforeAllocating() {
        // ElectLeadersRequest v0: TopicPartitions [{ Topic string, Partitions []int32 }], TimeoutMs.
        // Ten int32 partitions need 40 bytes; only 4 follow, though a one-byte-per-element check would pass.
        ByteBuffer bytes = ByteBuffer.allocate(64);
        bytes.putInt(1).putShort((short) 1).put((byte) 't').putInt(10).putInt(7).flip();
        assertThatThrownBy(() -> new ElectLeadersRequestData().read(bytes, (short) 0))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("Partitions")
            .hasMessageContaining("10 elements");
    }

    @Test
    void hugeStringLengthFailsWithoutAllocating() {
        // FindCoordinatorRequest v0: Key is an int16-length string; claim 32000 bytes, send 2.
        ByteBuffer bytes = ByteBuffer.allocate(4).putShort((short) 32000).put((byte) 'a').put((byte) 'b').flip();
        assertThatThrownBy(() -> new FindCoordinatorRequestData().read(bytes, (short) 0))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("Key")
            .hasMessageContaining("32000");
    }

    @Test
    void nullForNonNullableFieldIsRejected() {
        // FindCoordinatorRequest v0: Key is not nullable; -1 length means null.
        ByteBuffer bytes = ByteBuffer.allocate(2).putShort((short) -1).flip();
        assertThatThrownBy(() -> new FindCoordinatorRequestData().read(bytes, (short) 0))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("'Key' is null");
    }

    @Test
    void overlongVarintIsRejected() {
        // ApiVersionsRequest v3 (flexible): the compact string length is a varint of six continuation bytes.
        ByteBuffer bytes = ByteBuffer.wrap(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01});
        assertThatThrownBy(() -> new ApiVersionsRequestData().read(bytes, (short) 3))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("Varint");
    }

    @Test
    void truncatedInputNamesWhereItEnded() {
        ByteBuffer bytes = ByteBuffer.allocate(3).put(new byte[] {0, 0, 1}).flip();
        assertThatThrownBy(() -> new HeartbeatResponseData().read(bytes, (short) 1))
            .isInstanceOf(MalformedMessageException.class)
            .hasMessageContaining("int32");
    }

    private static void assertDecodesOrFailsCleanly(MessageVersion mv, byte[] bytes) {
        assertThatCode(() -> assertTimeoutPreemptively(HANG, () -> {
            Message target = (Message) MessageSchemas.ourClass(mv.spec()).getConstructor().newInstance();
            try {
                target.read(ByteBuffer.wrap(bytes), mv.version());
            } catch (ProtocolException expected) {
                // the only acceptable failure
            }
        })).as("%s on %d bytes", mv, bytes.length).doesNotThrowAnyException();
    }

    private static byte[] mutate(byte[] bytes, Random random) {
        switch (random.nextInt(5)) {
            case 0 -> { // flip a few bytes
                for (int i = 0; i < 1 + random.nextInt(4) && bytes.length > 0; i++) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt();
                }
                return bytes;
            }
            case 1 -> { // truncate
                return java.util.Arrays.copyOf(bytes, bytes.length == 0 ? 0 : random.nextInt(bytes.length));
            }
            case 2 -> { // write a huge or negative length somewhere
                if (bytes.length >= 4) {
                    ByteBuffer.wrap(bytes).putInt(random.nextInt(bytes.length - 3), random.nextBoolean() ? Integer.MAX_VALUE : -7);
                }
                return bytes;
            }
            case 3 -> { // insert garbage
                byte[] garbage = new byte[1 + random.nextInt(8)];
                random.nextBytes(garbage);
                int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
                byte[] out = new byte[bytes.length + garbage.length];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(garbage, 0, out, at, garbage.length);
                System.arraycopy(bytes, at, out, at + garbage.length, bytes.length - at);
                return out;
            }
            default -> { // continuation bits everywhere: over-long varints
                for (int i = 0; i < bytes.length; i += 1 + random.nextInt(3)) {
                    bytes[i] |= (byte) 0x80;
                }
                return bytes;
            }
        }
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
