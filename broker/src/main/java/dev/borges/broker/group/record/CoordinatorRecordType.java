package dev.borges.broker.group.record;

import java.nio.ByteBuffer;

/**
 * The record types of {@code __consumer_offsets}, numbered as Kafka numbers them: every key starts
 * with its type as an int16. See {@link GroupRecords} for the layouts.
 */
public enum CoordinatorRecordType {
    /** Read only: the key of offset commits written by old Kafka versions; same layout as {@link #OFFSET_COMMIT}. */
    LEGACY_OFFSET_COMMIT(0),
    OFFSET_COMMIT(1),
    /** A classic group's membership and assignment at the end of a generation. */
    GROUP_METADATA(2),
    // 3..8: the consumer group protocol (KIP-848), replayed into each shard's ConsumerGroupHost.
    CONSUMER_GROUP_METADATA(3),
    CONSUMER_GROUP_PARTITION_METADATA(4),
    CONSUMER_GROUP_MEMBER_METADATA(5),
    CONSUMER_GROUP_TARGET_ASSIGNMENT_METADATA(6),
    CONSUMER_GROUP_TARGET_ASSIGNMENT_MEMBER(7),
    CONSUMER_GROUP_CURRENT_MEMBER_ASSIGNMENT(8);

    public final short id;

    CoordinatorRecordType(int id) {
        this.id = (short) id;
    }

    /** The type a key starts with, or null for a type this broker does not know (a newer writer's). */
    public static CoordinatorRecordType ofKey(byte[] key) {
        if (key.length < 2) {
            throw new MalformedRecordException("A key of " + key.length + " bytes has no record type");
        }
        short id = ByteBuffer.wrap(key).getShort();
        for (CoordinatorRecordType type : values()) {
            if (type.id == id) {
                return type;
            }
        }
        return null;
    }

    /** Whether records of this type belong to the consumer group protocol (KIP-848). */
    public boolean isConsumerGroupType() {
        return id >= 3 && id <= 8;
    }
}
