package dev.borges.broker.group.record;

import static dev.borges.broker.group.record.RecordBuffers.getInt;
import static dev.borges.broker.group.record.RecordBuffers.getShort;
import static dev.borges.broker.group.record.RecordBuffers.getString;
import static dev.borges.broker.group.record.RecordBuffers.putString;
import static dev.borges.broker.group.record.RecordBuffers.sizeOf;

import java.nio.ByteBuffer;

/** The key of a committed offset: {@code type=1 | group | topic | partition} (layout in {@link GroupRecords}). */
public record OffsetCommitKey(String group, String topic, int partition) {

    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(2 + sizeOf(group) + sizeOf(topic) + 4);
        buffer.putShort(CoordinatorRecordType.OFFSET_COMMIT.id);
        putString(buffer, group);
        putString(buffer, topic);
        buffer.putInt(partition);
        return buffer.array();
    }

    /** Reads a key of type 0 or 1. */
    public static OffsetCommitKey fromBytes(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        short type = getShort(buffer, "type");
        if (type != CoordinatorRecordType.OFFSET_COMMIT.id && type != CoordinatorRecordType.LEGACY_OFFSET_COMMIT.id) {
            throw new MalformedRecordException("Not an offset commit key: type " + type);
        }
        return new OffsetCommitKey(getString(buffer, "group"), getString(buffer, "topic"), getInt(buffer, "partition"));
    }
}
