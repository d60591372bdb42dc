package dev.borges.broker.txn;

import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.storage.TopicPartition;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records of {@code __transaction_state}, in Kafka's own layouts ({@code TransactionLogKey}
 * version 0 and {@code TransactionLogValue} version 0, non-flexible), so the log reads the same to
 * Kafka's tools. Big-endian integers; a string is an int16 length and UTF-8 bytes; an array an
 * int32 count (-1 for null) and its elements.
 *
 * <pre>
 * key   = int16 version (0) | string TransactionalId
 * value = int16 version (0)
 *       | int64 ProducerId | int16 ProducerEpoch | int32 TransactionTimeoutMs
 *       | int8 TransactionStatus                       ({@link TransactionState#id})
 *       | TransactionPartitions: int32 count (-1: null, written for Empty)
 *       |     [ string Topic | int32 count | int32 PartitionIds... ]...
 *       | int64 TransactionLastUpdateTimestampMs | int64 TransactionStartTimestampMs
 * tombstone (null value): the transactional id expired
 * </pre>
 * Version 1 of the value (flexible, with KIP-890's tagged fields) is what Kafka writes for
 * transaction version 2, which Borges does not advertise; reading it is refused with a clear error.
 *
 * <p>Threading: stateless.
 */
public final class TransactionLogRecords {
    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 0;

    private TransactionLogRecords() {
    }

    /** The record of {@code metadata}'s current state. */
    public static CoordinatorRecord record(TransactionMetadata metadata) {
        return new CoordinatorRecord(key(metadata.transactionalId()), value(metadata));
    }

    /** The tombstone that removes an expired transactional id. */
    public static CoordinatorRecord tombstone(String transactionalId) {
        return CoordinatorRecord.tombstone(key(transactionalId));
    }

    public static byte[] key(String transactionalId) {
        byte[] id = utf8(transactionalId);
        ByteBuffer buffer = ByteBuffer.allocate(2 + 2 + id.length);
        buffer.putShort(KEY_VERSION);
        putString(buffer, id);
        return buffer.array();
    }

    public static byte[] value(TransactionMetadata metadata) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition partition : metadata.partitions()) {
            byTopic.computeIfAbsent(partition.topic(), topic -> new ArrayList<>()).add(partition.partition());
        }
        boolean nullPartitions = metadata.state() == TransactionState.EMPTY;
        int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8;
        for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
            size += 2 + utf8(topic.getKey()).length + 4 + 4 * topic.getValue().size();
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(VALUE_VERSION);
        buffer.putLong(metadata.producerId());
        buffer.putShort(metadata.producerEpoch());
        buffer.putInt(metadata.timeoutMs());
        buffer.put(metadata.state().id);
        if (nullPartitions) {
            buffer.putInt(-1);
        } else {
            buffer.putInt(byTopic.size());
            for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
                putString(buffer, utf8(topic.getKey()));
                buffer.putInt(topic.getValue().size());
                topic.getValue().forEach(buffer::putInt);
            }
        }
        buffer.putLong(metadata.lastUpdateMs());
        buffer.putLong(metadata.startMs());
        return java.util.Arrays.copyOf(buffer.array(), buffer.position());
    }

    /** The transactional id a key names. */
    public static String readKey(byte[] key) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(key);
            short version = buffer.getShort();
            if (version != KEY_VERSION) {
                throw new IllegalArgumentException("Unknown __transaction_state key version " + version);
            }
            return readString(buffer);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("Truncated __transaction_state key", e);
        }
    }

    /** The state a value holds for {@code transactionalId}. */
    public static TransactionMetadata readValue(String transactionalId, byte[] value) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(value);
            short version = buffer.getShort();
            if (version != VALUE_VERSION) {
                throw new IllegalArgumentException("__transaction_state value version " + version + " of " + transactionalId
                    + " is not supported (only version 0, transaction version 1)");
            }
            long producerId = buffer.getLong();
            short epoch = buffer.getShort();
            int timeoutMs = buffer.getInt();
            TransactionState state = TransactionState.fromId(buffer.get());
            int topics = buffer.getInt();
            Set<TopicPartition> partitions = new LinkedHashSet<>();
            for (int i = 0; i < topics; i++) {
                String topic = readString(buffer);
                int count = buffer.getInt();
                for (int j = 0; j < count; j++) {
                    partitions.add(new TopicPartition(topic, buffer.getInt()));
                }
            }
            long lastUpdateMs = buffer.getLong();
            long startMs = buffer.getLong();
            return new TransactionMetadata(transactionalId, producerId, epoch, timeoutMs, state, partitions, startMs, lastUpdateMs);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("Truncated __transaction_state value of " + transactionalId, e);
        }
    }

    private static void putString(ByteBuffer buffer, byte[] utf8) {
        if (utf8.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException("String of " + utf8.length + " bytes is too long for a record field");
        }
        buffer.putShort((short) utf8.length);
        buffer.put(utf8);
    }

    private static String readString(ByteBuffer buffer) {
        short length = buffer.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("Null string in a __transaction_state record");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
