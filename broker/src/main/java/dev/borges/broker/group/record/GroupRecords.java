package dev.borges.broker.group.record;

import dev.borges.broker.coordinator.CoordinatorRecord;

/**
 * The records of {@code __consumer_offsets}: what the group coordinator writes and replays. Every
 * record is a key and a value; a null value (a tombstone) deletes what the key names, so the
 * compacted topic keeps one record per live key.
 *
 * <p>The layouts are those of Kafka's own versions of these records (non-flexible encoding: integers
 * big-endian, {@code string} = int16 length + UTF-8, -1 for null; {@code bytes} = int32 length +
 * bytes; arrays = int32 count + elements).
 *
 * <pre>
 * key   := type:int16 | ...                    type numbers as Kafka's (CoordinatorRecordType)
 *
 * OffsetCommit (type 1; type 0 is read the same way)
 *   key   := type | group:string | topic:string | partition:int32
 *   value := version:int16 (3, or 1 when the commit asked for its own expiry)
 *            | offset:int64 | leaderEpoch:int32 (v3+) | metadata:string | commitTimestamp:int64
 *            | expireTimestamp:int64 (v1 only)
 *   tombstone: the offset is deleted (OffsetDelete, DeleteGroups, expiry, the topic was deleted)
 *
 * GroupMetadata (type 2): a classic group at the end of a generation
 *   key   := type | group:string
 *   value := version:int16 (3) | protocolType:string | generation:int32 | protocol:string? | leader:string?
 *            | currentStateTimestamp:int64 (v2+)
 *            | members: int32 count, each:
 *                memberId:string | groupInstanceId:string? (v3+) | clientId:string | clientHost:string
 *                | rebalanceTimeout:int32 (v1+) | sessionTimeout:int32 | subscription:bytes | assignment:bytes
 *   tombstone: the group is deleted
 *
 * types 3..8: the consumer group protocol (KIP-848), laid out in {@code group.consumer.ConsumerGroupRecordCodec}.
 * </pre>
 *
 * Versions 0-3 of both values are read; version 4 (Kafka's flexible encoding) is not written by this
 * broker and not read. A GroupMetadata value is written when a generation's assignment is stored
 * (the leader's SyncGroup), when a group becomes empty, and when a static member's id is replaced;
 * see {@code ClassicGroup} for what is durable and what is not.
 */
public final class GroupRecords {
    private GroupRecords() {
    }

    public static CoordinatorRecord offsetCommit(String group, String topic, int partition, OffsetCommitValue value) {
        return new CoordinatorRecord(new OffsetCommitKey(group, topic, partition).toBytes(), value.toBytes());
    }

    public static CoordinatorRecord offsetTombstone(String group, String topic, int partition) {
        return CoordinatorRecord.tombstone(new OffsetCommitKey(group, topic, partition).toBytes());
    }

    public static CoordinatorRecord groupMetadata(String group, GroupMetadataValue value) {
        return new CoordinatorRecord(new GroupMetadataKey(group).toBytes(), value.toBytes());
    }

    public static CoordinatorRecord groupTombstone(String group) {
        return CoordinatorRecord.tombstone(new GroupMetadataKey(group).toBytes());
    }
}
