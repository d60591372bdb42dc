package dev.borges.broker.group.record;

import static dev.borges.broker.group.record.RecordBuffers.getShort;
import static dev.borges.broker.group.record.RecordBuffers.getString;
import static dev.borges.broker.group.record.RecordBuffers.putString;
import static dev.borges.broker.group.record.RecordBuffers.sizeOf;

import java.nio.ByteBuffer;

/** The key of a classic group's metadata: {@code type=2 | group} (layout in {@link GroupRecords}). */
public record GroupMetadataKey(String group) {

    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(2 + sizeOf(group));
        buffer.putShort(CoordinatorRecordType.GROUP_METADATA.id);
        putString(buffer, group);
        return buffer.array();
    }

    public static GroupMetadataKey fromBytes(byte[] key) {
        ByteBuffer buffer = ByteBuffer.wrap(key);
        short type = getShort(buffer, "type");
        if (type != CoordinatorRecordType.GROUP_METADATA.id) {
            throw new MalformedRecordException("Not a group metadata key: type " + type);
        }
        return new GroupMetadataKey(getString(buffer, "group"));
    }
}
