package dev.borges.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.generator.spec.MessageSpec;
import dev.borges.protocol.message.MessageSchemas.MessageVersion;
import dev.borges.protocol.types.Message;
import java.nio.ByteBuffer;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real Kafka implementation is the judge: for every message in the schemas and every version,
 * kafka-clients' own generated class reads the bytes we write to equal values and writes them back
 * to the same bytes, and we read what kafka-clients writes to equal values.
 */
class KafkaCrossCheckTest {
    private static final int SEEDS_PER_VERSION = 6;

    @Test
    void kafkaClientsHasAClassForEveryMessageWeGenerate() {
        for (MessageSpec spec : MessageSchemas.all()) {
            assertThat(kafkaClass(spec)).as(spec.name()).isNotNull();
        }
    }

    @TestFactory
    Stream<DynamicTest> kafkaClientsAndWeAgreeOnEveryMessageAtEveryVersion() {
        return MessageSchemas.allVersions().stream().map(mv -> DynamicTest.dynamicTest(mv.toString(), () -> {
            for (long seed = 0; seed < SEEDS_PER_VERSION; seed++) {
                assertAgreement(mv, seed);
            }
        }));
    }

    private static void assertAgreement(MessageVersion mv, long seed) throws ReflectiveOperationException {
        Message ours = new RandomMessages(mv.spec(), mv.version(), seed).build();
        ByteBuffer ourBytes = ours.toByteBuffer(mv.version());

        // Kafka reads what we wrote, to the same values.
        Object kafka = kafkaClass(mv.spec()).getConstructor(org.apache.kafka.common.protocol.Readable.class, short.class)
            .newInstance(new ByteBufferAccessor(ourBytes.duplicate()), mv.version());
        assertThat(KafkaValueComparator.differences(mv.spec(), ours, kafka)).as("%s seed %d", mv, seed).isEmpty();

        // Kafka writes the same bytes for those values, and we read Kafka's bytes back to our original.
        ByteBuffer kafkaBytes = MessageUtil.toByteBufferAccessor((org.apache.kafka.common.protocol.Message) kafka, mv.version()).buffer();
        assertThat(kafkaBytes).as("%s seed %d: Kafka's bytes", mv, seed).isEqualTo(ourBytes);
        Message decoded = ours.getClass().getConstructor().newInstance();
        decoded.read(kafkaBytes.duplicate(), mv.version());
        assertThat(decoded).as("%s seed %d: read from Kafka's bytes", mv, seed).isEqualTo(ours);
    }

    private static Class<?> kafkaClass(MessageSpec spec) {
        try {
            return Class.forName("org.apache.kafka.common.message." + spec.className());
        } catch (ClassNotFoundException e) {
            return null;
        }
    }
}
