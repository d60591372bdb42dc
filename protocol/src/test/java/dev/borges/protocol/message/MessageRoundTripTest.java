package dev.borges.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.message.MessageSchemas.MessageVersion;
import dev.borges.protocol.types.Message;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every message at every valid version, filled with random values, survives write then read
 * unchanged, and {@code size} predicts exactly the bytes {@code write} produces.
 */
class MessageRoundTripTest {
    private static final int SEEDS_PER_VERSION = 8;

    @TestFactory
    Stream<DynamicTest> everyMessageAtEveryVersionRoundTrips() {
        return MessageSchemas.allVersions().stream().map(mv -> DynamicTest.dynamicTest(mv.toString(), () -> {
            for (long seed = 0; seed < SEEDS_PER_VERSION; seed++) {
                assertRoundTrips(mv, seed);
            }
        }));
    }

    @Property(tries = 3000)
    void randomMessagesRoundTrip(@ForAll("messageVersions") MessageVersion mv, @ForAll long seed) {
        assertRoundTrips(mv, seed);
    }

    @Provide
    Arbitrary<MessageVersion> messageVersions() {
        return Arbitraries.of(MessageSchemas.allVersions());
    }

    private static void assertRoundTrips(MessageVersion mv, long seed) {
        Message original = new RandomMessages(mv.spec(), mv.version(), seed).build();
        ByteBuffer bytes = original.toByteBuffer(mv.version());
        assertThat(bytes.remaining()).as("size(%d) of %s", mv.version(), original).isEqualTo(original.size(mv.version()));

        // Read into a different message, so a field that read() forgot to replace shows up.
        Message decoded = new RandomMessages(mv.spec(), mv.version(), seed + 1).build();
        decoded.read(bytes, mv.version());
        assertThat(bytes.hasRemaining()).as("read consumed every byte written (seed %d)", seed).isFalse();
        assertThat(decoded).as("%s seed %d", mv, seed).isEqualTo(original);
        assertThat(decoded.hashCode()).isEqualTo(original.hashCode());
    }
}
