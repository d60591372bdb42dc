package dev.borges.broker.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Invariants: any consumer group record survives record → key and value bytes → record
 * unchanged, and Kafka's own record classes read our bytes as the same record (see
 * {@link KafkaGroupRecords}).
 */
class ConsumerGroupRecordPropertyTest {

    @Provide
    Arbitrary<ConsumerGroupRecord> records() {
        return ConsumerGroupRecordArbitraries.records();
    }

    @Property(tries = 500)
    void everyRecordRoundTripsUnchanged(@ForAll("records") ConsumerGroupRecord record) {
        assertThat(ConsumerGroupRecordCodecTest.roundTrip(record)).isEqualTo(record);
    }

    @Property(tries = 500)
    void kafkaReadsEveryRecordAsWritten(@ForAll("records") ConsumerGroupRecord record) {
        byte[] key = ConsumerGroupRecordCodec.key(record);
        byte[] value = ConsumerGroupRecordCodec.value(record);

        assertThat(KafkaGroupRecords.read(key, value)).isEqualTo(record);
    }

    @Property(tries = 500)
    void weReadEveryRecordKafkaWrites(@ForAll("records") ConsumerGroupRecord record) {
        byte[] key = KafkaGroupRecords.key(record);
        byte[] value = KafkaGroupRecords.value(record);

        assertThat(key).isEqualTo(ConsumerGroupRecordCodec.key(record));
        assertThat(ConsumerGroupRecordCodec.decode(key, value)).isEqualTo(record);
    }
}
