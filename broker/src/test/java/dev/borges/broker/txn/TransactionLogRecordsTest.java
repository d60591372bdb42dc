package dev.borges.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.storage.TopicPartition;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogKey;
import org.apache.kafka.coordinator.transaction.generated.TransactionLogValue;
import org.junit.jupiter.api.Test;

/** {@code __transaction_state} records read and written the way Kafka's own generated classes do. */
class TransactionLogRecordsTest {
    private static final TransactionMetadata ONGOING = new TransactionMetadata("payments-1", 4001L, (short) 7, 60_000,
        TransactionState.ONGOING, Set.of(new TopicPartition("orders", 2), new TopicPartition("orders", 0),
        new TopicPartition("__consumer_offsets", 13)), 1_700_000_000_000L, 1_700_000_000_500L);

    @Test
    void kafkaReadsTheKeysWeWrite() {
        ByteBuffer key = ByteBuffer.wrap(TransactionLogRecords.key("payments-1"));
        assertThat(key.getShort()).isEqualTo((short) 0);
        TransactionLogKey read = new TransactionLogKey(new ByteBufferAccessor(key), (short) 0);
        assertThat(read.transactionalId()).isEqualTo("payments-1");
        assertThat(key.remaining()).isZero();
    }

    @Test
    void kafkaReadsTheValuesWeWrite() {
        ByteBuffer value = ByteBuffer.wrap(TransactionLogRecords.value(ONGOING));
        assertThat(value.getShort()).isEqualTo((short) 0);
        TransactionLogValue read = new TransactionLogValue(new ByteBufferAccessor(value), (short) 0);
        assertThat(value.remaining()).isZero();
        assertThat(read.producerId()).isEqualTo(4001L);
        assertThat(read.producerEpoch()).isEqualTo((short) 7);
        assertThat(read.transactionTimeoutMs()).isEqualTo(60_000);
        assertThat(read.transactionStatus()).isEqualTo((byte) 1);
        assertThat(read.transactionStartTimestampMs()).isEqualTo(1_700_000_000_000L);
        assertThat(read.transactionLastUpdateTimestampMs()).isEqualTo(1_700_000_000_500L);
        List<String> partitions = new ArrayList<>();
        for (TransactionLogValue.PartitionsSchema topic : read.transactionPartitions()) {
            topic.partitionIds().forEach(p -> partitions.add(topic.topic() + "-" + p));
        }
        assertThat(partitions).containsExactly("__consumer_offsets-13", "orders-0", "orders-2");
    }

    @Test
    void weReadTheValuesKafkaWrites() {
        TransactionLogValue kafka = new TransactionLogValue().setProducerId(99L).setProducerEpoch((short) 3)
            .setTransactionTimeoutMs(15_000).setTransactionStatus((byte) 2)
            .setTransactionPartitions(List.of(new TransactionLogValue.PartitionsSchema().setTopic("orders").setPartitionIds(List.of(1, 4))))
            .setTransactionLastUpdateTimestampMs(20L).setTransactionStartTimestampMs(10L);
        byte[] bytes = MessageUtil.toVersionPrefixedBytes((short) 0, kafka);
        TransactionMetadata read = TransactionLogRecords.readValue("t", bytes);
        assertThat(read).isEqualTo(new TransactionMetadata("t", 99L, (short) 3, 15_000, TransactionState.PREPARE_COMMIT,
            Set.of(new TopicPartition("orders", 1), new TopicPartition("orders", 4)), 10L, 20L));

        byte[] key = MessageUtil.toVersionPrefixedBytes((short) 0, new TransactionLogKey().setTransactionalId("t"));
        assertThat(TransactionLogRecords.readKey(key)).isEqualTo("t");
        assertThat(TransactionLogRecords.key("t")).isEqualTo(key);
    }

    @Test
    void anEmptyTransactionIsWrittenWithNullPartitionsAsKafkaDoes() {
        TransactionMetadata empty = ONGOING.with(4001L, (short) 8, 60_000, TransactionState.EMPTY, Set.of(), -1L, 5L);
        ByteBuffer value = ByteBuffer.wrap(TransactionLogRecords.value(empty));
        value.getShort();
        TransactionLogValue read = new TransactionLogValue(new ByteBufferAccessor(value), (short) 0);
        assertThat(read.transactionPartitions()).isNull();
        assertThat(TransactionLogRecords.readValue(empty.transactionalId(), TransactionLogRecords.value(empty))).isEqualTo(empty);
    }

    @Test
    void roundTripsEveryState() {
        for (TransactionState state : TransactionState.values()) {
            TransactionMetadata metadata = ONGOING.withState(state, 42L);
            TransactionMetadata read = TransactionLogRecords.readValue("payments-1", TransactionLogRecords.value(metadata));
            assertThat(read.state()).isEqualTo(state);
            assertThat(read.partitions()).isEqualTo(state == TransactionState.EMPTY ? Set.of() : metadata.partitions());
        }
    }

    @Test
    void refusesTruncatedAndUnknownVersions() {
        byte[] value = TransactionLogRecords.value(ONGOING);
        assertThatThrownBy(() -> TransactionLogRecords.readValue("t", java.util.Arrays.copyOf(value, value.length - 3)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Truncated");
        TransactionLogValue v1 = new TransactionLogValue().setProducerId(1L).setTransactionPartitions(List.of());
        assertThatThrownBy(() -> TransactionLogRecords.readValue("t", MessageUtil.toVersionPrefixedBytes((short) 1, v1)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("version 1");
    }
}
