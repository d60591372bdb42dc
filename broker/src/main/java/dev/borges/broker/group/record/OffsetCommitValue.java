package dev.borges.broker.group.record;

import static dev.borges.broker.group.record.RecordBuffers.getInt;
import static dev.borges.broker.group.record.RecordBuffers.getLong;
import static dev.borges.broker.group.record.RecordBuffers.getShort;
import static dev.borges.broker.group.record.RecordBuffers.getString;
import static dev.borges.broker.group.record.RecordBuffers.putString;
import static dev.borges.broker.group.record.RecordBuffers.sizeOf;

import java.nio.ByteBuffer;

/**
 * A committed offset as stored (layout in {@link GroupRecords}).
 *
 * @param leaderEpoch the leader epoch of the last consumed record, or -1
 * @param metadata the client's metadata string, never null ("" when the client sent none)
 * @param commitTimestampMs when the broker accepted the commit
 * @param expireTimestampMs when the commit asked to expire (OffsetCommit v2-4 with a retention time), or -1: the broker's retention applies
 */
public record OffsetCommitValue(long offset, int leaderEpoch, String metadata, long commitTimestampMs, long expireTimestampMs) {
    public static final short VERSION_WITH_EXPIRY = 1;
    public static final short CURRENT_VERSION = 3;

    public OffsetCommitValue {
        if (metadata == null) {
            metadata = "";
        }
    }

    /** Version 3, or version 1 when the commit carries its own expiry (version 3 has no room for it). */
    public byte[] toBytes() {
        short version = expireTimestampMs >= 0 ? VERSION_WITH_EXPIRY : CURRENT_VERSION;
        ByteBuffer buffer = ByteBuffer.allocate(2 + 8 + 4 + sizeOf(metadata) + 8 + 8);
        buffer.putShort(version);
        buffer.putLong(offset);
        if (version >= 3) {
            buffer.putInt(leaderEpoch);
        }
        putString(buffer, metadata);
        buffer.putLong(commitTimestampMs);
        if (version == VERSION_WITH_EXPIRY) {
            buffer.putLong(expireTimestampMs);
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    /** Reads versions 0 to 3. */
    public static OffsetCommitValue fromBytes(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        short version = getShort(buffer, "version");
        if (version < 0 || version > 3) {
            throw new MalformedRecordException("Unknown offset commit value version " + version);
        }
        long offset = getLong(buffer, "offset");
        int leaderEpoch = version >= 3 ? getInt(buffer, "leaderEpoch") : -1;
        String metadata = getString(buffer, "metadata");
        long commitTimestamp = getLong(buffer, "commitTimestamp");
        long expireTimestamp = version == VERSION_WITH_EXPIRY ? getLong(buffer, "expireTimestamp") : -1L;
        return new OffsetCommitValue(offset, leaderEpoch, metadata, commitTimestamp, expireTimestamp);
    }
}
