package dev.borges.broker.group.record;

import static dev.borges.broker.group.record.RecordBuffers.getBytes;
import static dev.borges.broker.group.record.RecordBuffers.getInt;
import static dev.borges.broker.group.record.RecordBuffers.getLong;
import static dev.borges.broker.group.record.RecordBuffers.getNullableString;
import static dev.borges.broker.group.record.RecordBuffers.getShort;
import static dev.borges.broker.group.record.RecordBuffers.getString;
import static dev.borges.broker.group.record.RecordBuffers.putBytes;
import static dev.borges.broker.group.record.RecordBuffers.putString;
import static dev.borges.broker.group.record.RecordBuffers.sizeOf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A classic group as stored at the end of a generation (layout in {@link GroupRecords}).
 *
 * @param protocol the selected protocol (assignor) name, null when the group is empty
 * @param leader the leader's member id, null when the group is empty
 * @param currentStateTimestampMs when the group entered its current state (offset retention of empty groups counts from it)
 */
public record GroupMetadataValue(String protocolType, int generation, String protocol, String leader, long currentStateTimestampMs,
                                 List<Member> members) {
    public static final short CURRENT_VERSION = 3;

    public GroupMetadataValue {
        Objects.requireNonNull(protocolType, "protocolType");
        members = List.copyOf(members);
    }

    /**
     * One member: its identity, the timeouts it asked for, its metadata for the selected protocol
     * ({@code subscription}) and the leader's assignment for it.
     */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                         int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
        public Member {
            Objects.requireNonNull(memberId, "memberId");
            Objects.requireNonNull(subscription, "subscription");
            Objects.requireNonNull(assignment, "assignment");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Member that && memberId.equals(that.memberId) && Objects.equals(groupInstanceId, that.groupInstanceId)
                && clientId.equals(that.clientId) && clientHost.equals(that.clientHost) && rebalanceTimeoutMs == that.rebalanceTimeoutMs
                && sessionTimeoutMs == that.sessionTimeoutMs && Arrays.equals(subscription, that.subscription)
                && Arrays.equals(assignment, that.assignment);
        }

        @Override
        public int hashCode() {
            return Objects.hash(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs)
                + 31 * Arrays.hashCode(subscription) + Arrays.hashCode(assignment);
        }

        @Override
        public String toString() {
            return "Member(" + memberId + ", instance=" + groupInstanceId + ", client=" + clientId + "/" + clientHost
                + ", subscription=" + subscription.length + " bytes, assignment=" + assignment.length + " bytes)";
        }
    }

    public byte[] toBytes() {
        int size = 2 + sizeOf(protocolType) + 4 + sizeOf(protocol) + sizeOf(leader) + 8 + 4;
        for (Member member : members) {
            size += sizeOf(member.memberId) + sizeOf(member.groupInstanceId) + sizeOf(member.clientId) + sizeOf(member.clientHost)
                + 4 + 4 + sizeOf(member.subscription) + sizeOf(member.assignment);
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort(CURRENT_VERSION);
        putString(buffer, protocolType);
        buffer.putInt(generation);
        putString(buffer, protocol);
        putString(buffer, leader);
        buffer.putLong(currentStateTimestampMs);
        buffer.putInt(members.size());
        for (Member member : members) {
            putString(buffer, member.memberId);
            putString(buffer, member.groupInstanceId);
            putString(buffer, member.clientId);
            putString(buffer, member.clientHost);
            buffer.putInt(member.rebalanceTimeoutMs);
            buffer.putInt(member.sessionTimeoutMs);
            putBytes(buffer, member.subscription);
            putBytes(buffer, member.assignment);
        }
        return buffer.array();
    }

    /** Reads versions 0 to 3. */
    public static GroupMetadataValue fromBytes(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        short version = getShort(buffer, "version");
        if (version < 0 || version > 3) {
            throw new MalformedRecordException("Unknown group metadata value version " + version);
        }
        String protocolType = getString(buffer, "protocolType");
        int generation = getInt(buffer, "generation");
        String protocol = getNullableString(buffer, "protocol");
        String leader = getNullableString(buffer, "leader");
        long currentStateTimestamp = version >= 2 ? getLong(buffer, "currentStateTimestamp") : -1L;
        int count = getInt(buffer, "members");
        if (count < 0 || count > buffer.remaining()) {
            throw new MalformedRecordException("Invalid member count " + count);
        }
        List<Member> members = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String memberId = getString(buffer, "memberId");
            String groupInstanceId = version >= 3 ? getNullableString(buffer, "groupInstanceId") : null;
            String clientId = getString(buffer, "clientId");
            String clientHost = getString(buffer, "clientHost");
            int sessionTimeout;
            int rebalanceTimeout;
            if (version >= 1) {
                rebalanceTimeout = getInt(buffer, "rebalanceTimeout");
                sessionTimeout = getInt(buffer, "sessionTimeout");
            } else {
                sessionTimeout = getInt(buffer, "sessionTimeout");
                rebalanceTimeout = sessionTimeout;
            }
            members.add(new Member(memberId, groupInstanceId, clientId, clientHost, rebalanceTimeout, sessionTimeout,
                getBytes(buffer, "subscription"), getBytes(buffer, "assignment")));
        }
        return new GroupMetadataValue(protocolType, generation, protocol, leader, currentStateTimestamp, members);
    }
}
