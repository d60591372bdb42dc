package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.MalformedMessageException;
import dev.borges.protocol.types.ProtocolReader;
import dev.borges.protocol.types.ProtocolReader.LengthKind;
import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/**
 * The bytes of {@link ConsumerGroupRecord}s in {@code __consumer_offsets}: a record's key and
 * value become the key and value of a log record. The layout is Kafka's own (the
 * {@code ConsumerGroup*Key}/{@code *Value} schemas of Kafka 4's group coordinator, version 0), so
 * Kafka's tools can read Borges' group records and tests check the bytes against Kafka's classes.
 * Stateless; any thread.
 *
 * <h2>Key</h2>
 * <pre>
 *   type        int16     3..8 ({@link ConsumerGroupRecord.RecordType})
 *   group_id    string    int16 length N ≥ 0, then N bytes of UTF-8
 *   member_id   string    only for types 5, 7 and 8
 * </pre>
 *
 * <h2>Value</h2>
 * An int16 version (0), then the fields in Kafka's "flexible" encoding: a compact string is an
 * unsigned varint N+1 followed by N bytes of UTF-8 (0 for null); a compact array is an unsigned
 * varint count+1 followed by the elements (0 for null); every struct, and the value itself, ends
 * with a tagged-field section: an unsigned varint count, then per field an unsigned varint tag,
 * an unsigned varint size and that many bytes. Borges writes one tagged field, the assignment
 * epochs of type 8 (KIP-1251), and skips the others it reads (Kafka's optional extras: a metadata
 * hash, assignment timestamps). A tombstone's value is null (no bytes at all).
 *
 * <pre>
 *  3 group metadata            epoch int32
 *  4 partition metadata        topics []{ topic_id uuid, topic_name string, num_partitions int32,
 *                                         partition_metadata []{ partition int32, racks []string } }
 *                              (partition_metadata written empty: no rack-aware assignment)
 *  5 member metadata           instance_id string?, rack_id string?, client_id string,
 *                              client_host string, subscribed_topic_names []string,
 *                              subscribed_topic_regex string?, rebalance_timeout_ms int32,
 *                              server_assignor string?
 *  6 target assignment epoch   assignment_epoch int32
 *  7 target assignment member  topic_partitions []{ topic_id uuid, partitions []int32 }
 *  8 current assignment        member_epoch int32, previous_member_epoch int32, state int8
 *                              ({@link MemberState#code}), assigned_partitions []{ topic_id uuid,
 *                              partitions []int32, tag 0: assignment_epochs []int32? },
 *                              partitions_pending_revocation (same)
 * </pre>
 * ({@code assignment_epochs} is a tagged field, written for every topic: the epoch at which each
 * partition of {@code partitions}, in the same order, was assigned to the member. A record
 * without it, written before KIP-1251, reads as all partitions assigned at the member epoch; see
 * {@link ConsumerGroupRecord.CurrentAssignment}.)
 * ({@code ?} marks a nullable string; a uuid is 16 bytes, most significant first.)
 */
public final class ConsumerGroupRecordCodec {
    /** The only value version this broker writes and reads. */
    public static final short VALUE_VERSION = 0;
    /** The tag of assignment_epochs in each topic of a current assignment (type 8). */
    private static final int ASSIGNMENT_EPOCHS_TAG = 0;

    private ConsumerGroupRecordCodec() {
    }

    /** The consumer group record type of a key, or null if the key belongs to another kind of record. */
    public static ConsumerGroupRecord.RecordType typeOf(ByteBuffer key) {
        if (key.remaining() < 2) {
            return null;
        }
        return ConsumerGroupRecord.RecordType.forId(key.getShort(key.position()));
    }

    public static byte[] key(ConsumerGroupRecord record) {
        Out out = new Out();
        out.writeShort(record.type().id);
        out.writeString16(record.groupId());
        String memberId = memberIdOf(record);
        if (record.type().perMember) {
            out.writeString16(memberId);
        }
        return out.toByteArray();
    }

    /** The value bytes, or null for a tombstone. */
    public static byte[] value(ConsumerGroupRecord record) {
        if (record instanceof ConsumerGroupRecord.Tombstone) {
            return null;
        }
        Out out = new Out();
        out.writeShort(VALUE_VERSION);
        if (record instanceof ConsumerGroupRecord.GroupEpoch epoch) {
            out.writeInt(epoch.epoch());
        } else if (record instanceof ConsumerGroupRecord.SubscriptionMetadata metadata) {
            out.writeCount(metadata.topics().size());
            for (ConsumerGroupRecord.TopicMetadata topic : metadata.topics().values()) {
                out.writeUuid(topic.topicId());
                out.writeCompactString(topic.name());
                out.writeInt(topic.partitionCount());
                out.writeCount(0);
                out.writeNoTaggedFields();
            }
        } else if (record instanceof ConsumerGroupRecord.MemberSubscription member) {
            out.writeCompactString(member.instanceId());
            out.writeCompactString(member.rackId());
            out.writeCompactString(member.clientId());
            out.writeCompactString(member.clientHost());
            out.writeCount(member.subscribedTopicNames().size());
            member.subscribedTopicNames().forEach(out::writeCompactString);
            out.writeCompactString(member.subscribedTopicRegex());
            out.writeInt(member.rebalanceTimeoutMs());
            out.writeCompactString(member.serverAssignor());
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentEpoch epoch) {
            out.writeInt(epoch.assignmentEpoch());
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentMember target) {
            writeAssignment(out, target.assignment(), null);
        } else if (record instanceof ConsumerGroupRecord.CurrentAssignment current) {
            out.writeInt(current.memberEpoch());
            out.writeInt(current.previousMemberEpoch());
            out.writeByte(current.state().code);
            writeAssignment(out, current.assigned(), current.assignmentEpochs());
            writeAssignment(out, current.pendingRevocation(), current.assignmentEpochs());
        }
        out.writeNoTaggedFields();
        return out.toByteArray();
    }

    public static ConsumerGroupRecord decode(byte[] key, byte[] value) {
        return decode(ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value));
    }

    /**
     * The record with this key and value (null value: a tombstone). Reads the buffers from their
     * positions without moving them.
     *
     * @throws MalformedMessageException if the bytes are not a consumer group record this broker reads
     */
    public static ConsumerGroupRecord decode(ByteBuffer key, ByteBuffer value) {
        ProtocolReader keyReader = new ProtocolReader(key.duplicate());
        short typeId = keyReader.readShort();
        ConsumerGroupRecord.RecordType type = ConsumerGroupRecord.RecordType.forId(typeId);
        if (type == null) {
            throw new MalformedMessageException("Record type " + typeId + " is not a consumer group record");
        }
        String groupId = readString16(keyReader, "group_id");
        String memberId = type.perMember ? readString16(keyReader, "member_id") : null;
        if (keyReader.remaining() != 0) {
            throw new MalformedMessageException(keyReader.remaining() + " bytes after the key of a " + type + " record");
        }
        if (value == null) {
            return new ConsumerGroupRecord.Tombstone(type, groupId, memberId);
        }
        ProtocolReader in = new ProtocolReader(value.duplicate());
        short version = in.readShort();
        if (version != VALUE_VERSION) {
            throw new MalformedMessageException("Value version " + version + " of a " + type + " record is not known");
        }
        ConsumerGroupRecord record = switch (type) {
            case GROUP_METADATA -> new ConsumerGroupRecord.GroupEpoch(groupId, in.readInt());
            case PARTITION_METADATA -> readSubscriptionMetadata(in, groupId);
            case MEMBER_METADATA -> readMemberSubscription(in, groupId, memberId);
            case TARGET_ASSIGNMENT_METADATA -> new ConsumerGroupRecord.TargetAssignmentEpoch(groupId, in.readInt());
            case TARGET_ASSIGNMENT_MEMBER -> new ConsumerGroupRecord.TargetAssignmentMember(groupId, memberId,
                readAssignment(in, "topic_partitions", null));
            case CURRENT_MEMBER_ASSIGNMENT -> readCurrentAssignment(in, groupId, memberId);
        };
        skipTaggedFields(in);
        if (in.remaining() != 0) {
            throw new MalformedMessageException(in.remaining() + " bytes after the value of a " + type + " record");
        }
        return record;
    }

    private static String memberIdOf(ConsumerGroupRecord record) {
        if (record instanceof ConsumerGroupRecord.MemberSubscription member) {
            return member.memberId();
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentMember target) {
            return target.memberId();
        } else if (record instanceof ConsumerGroupRecord.CurrentAssignment current) {
            return current.memberId();
        } else if (record instanceof ConsumerGroupRecord.Tombstone tombstone) {
            return tombstone.memberId();
        }
        return null;
    }

    private static ConsumerGroupRecord.SubscriptionMetadata readSubscriptionMetadata(ProtocolReader in, String groupId) {
        int count = readCount(in, 16 + 1 + 4 + 1 + 1, "topics");
        Map<String, ConsumerGroupRecord.TopicMetadata> topics = new LinkedHashMap<>();
        for (int index = 0; index < count; index++) {
            Uuid topicId = in.readUuid();
            String name = readCompactString(in, "topic_name", false);
            int partitionCount = in.readInt();
            int racks = readCount(in, 4 + 1 + 1, "partition_metadata");
            for (int rack = 0; rack < racks; rack++) {
                in.readInt();
                int rackNames = readCount(in, 1, "racks");
                for (int rackName = 0; rackName < rackNames; rackName++) {
                    readCompactString(in, "racks", false);
                }
                skipTaggedFields(in);
            }
            skipTaggedFields(in);
            topics.put(name, new ConsumerGroupRecord.TopicMetadata(topicId, name, partitionCount));
        }
        return new ConsumerGroupRecord.SubscriptionMetadata(groupId, topics);
    }

    private static ConsumerGroupRecord.MemberSubscription readMemberSubscription(
            ProtocolReader in, String groupId, String memberId) {
        String instanceId = readCompactString(in, "instance_id", true);
        String rackId = readCompactString(in, "rack_id", true);
        String clientId = readCompactString(in, "client_id", false);
        String clientHost = readCompactString(in, "client_host", false);
        int count = readCount(in, 1, "subscribed_topic_names");
        List<String> names = new ArrayList<>(count);
        for (int index = 0; index < count; index++) {
            names.add(readCompactString(in, "subscribed_topic_names", false));
        }
        String regex = readCompactString(in, "subscribed_topic_regex", true);
        int rebalanceTimeoutMs = in.readInt();
        String assignor = readCompactString(in, "server_assignor", true);
        return new ConsumerGroupRecord.MemberSubscription(groupId, memberId, instanceId, rackId, clientId, clientHost,
            names, regex, rebalanceTimeoutMs, assignor);
    }

    private static ConsumerGroupRecord.CurrentAssignment readCurrentAssignment(
            ProtocolReader in, String groupId, String memberId) {
        int memberEpoch = in.readInt();
        int previousEpoch = in.readInt();
        byte stateCode = in.readByte();
        MemberState state = MemberState.forCode(stateCode);
        Map<TopicPartition, Integer> epochs = new HashMap<>();
        Assignment assigned = readAssignment(in, "assigned_partitions", epochs);
        Assignment pending = readAssignment(in, "partitions_pending_revocation", epochs);
        return new ConsumerGroupRecord.CurrentAssignment(groupId, memberId, memberEpoch, previousEpoch, state, assigned,
            pending, epochs);
    }

    /** An assignment; with {@code epochs}, each topic ends with its tagged assignment_epochs field. */
    private static void writeAssignment(Out out, Assignment assignment, Map<TopicPartition, Integer> epochs) {
        out.writeCount(assignment.partitions().size());
        for (Map.Entry<Uuid, SortedSet<Integer>> entry : assignment.partitions().entrySet()) {
            out.writeUuid(entry.getKey());
            out.writeCount(entry.getValue().size());
            for (Integer partition : entry.getValue()) {
                out.writeInt(partition);
            }
            if (epochs == null) {
                out.writeNoTaggedFields();
                continue;
            }
            int count = entry.getValue().size();
            out.writeUnsignedVarint(1);
            out.writeUnsignedVarint(ASSIGNMENT_EPOCHS_TAG);
            out.writeUnsignedVarint(varintSize(count + 1) + 4 * count);
            out.writeCount(count);
            for (Integer partition : entry.getValue()) {
                out.writeInt(epochs.get(new TopicPartition(entry.getKey(), partition)));
            }
        }
    }

    /**
     * An assignment; with {@code epochs}, the assignment_epochs found go there (a topic without
     * the field adds none) and other tagged fields are skipped.
     */
    private static Assignment readAssignment(ProtocolReader in, String field, Map<TopicPartition, Integer> epochs) {
        int topics = readCount(in, 16 + 1 + 1, field);
        Assignment.Builder builder = Assignment.builder();
        for (int topic = 0; topic < topics; topic++) {
            Uuid topicId = in.readUuid();
            int count = readCount(in, 4, field);
            int[] partitions = new int[count];
            for (int index = 0; index < count; index++) {
                partitions[index] = in.readInt();
                builder.add(topicId, partitions[index]);
            }
            int tagged = in.readUnsignedVarint();
            for (int index = 0; index < tagged; index++) {
                int tag = in.readUnsignedVarint();
                int size = in.readUnsignedVarint();
                in.checkTaggedFieldSize(tag, size);
                int end = in.buffer().position() + size;
                if (epochs != null && tag == ASSIGNMENT_EPOCHS_TAG) {
                    readAssignmentEpochs(in, topicId, partitions, epochs);
                    in.checkTaggedFieldEnd(tag, end);
                }
                in.buffer().position(end);
            }
        }
        return builder.build();
    }

    private static void readAssignmentEpochs(
            ProtocolReader in, Uuid topicId, int[] partitions, Map<TopicPartition, Integer> epochs) {
        int count = in.readLength(LengthKind.COMPACT, "assignment_epochs");
        if (count < 0) {
            return; // null: as if absent
        }
        if (count != partitions.length) {
            throw new MalformedMessageException(count + " assignment_epochs for " + partitions.length + " partitions");
        }
        for (int partition : partitions) {
            epochs.put(new TopicPartition(topicId, partition), in.readInt());
        }
    }

    private static int varintSize(int value) {
        int size = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    private static String readString16(ProtocolReader in, String field) {
        int length = in.readLength(LengthKind.INT16, field);
        if (length < 0) {
            throw in.unexpectedNull(field);
        }
        return in.readString(length, field);
    }

    private static String readCompactString(ProtocolReader in, String field, boolean nullable) {
        int length = in.readLength(LengthKind.COMPACT, field);
        if (length < 0) {
            if (nullable) {
                return null;
            }
            throw in.unexpectedNull(field);
        }
        return in.readString(length, field);
    }

    private static int readCount(ProtocolReader in, int minElementSize, String field) {
        int count = in.readLength(LengthKind.COMPACT, field);
        if (count < 0) {
            throw in.unexpectedNull(field);
        }
        in.checkCount(count, minElementSize, field);
        return count;
    }

    private static void skipTaggedFields(ProtocolReader in) {
        int count = in.readUnsignedVarint();
        for (int index = 0; index < count; index++) {
            int tag = in.readUnsignedVarint();
            int size = in.readUnsignedVarint();
            in.checkTaggedFieldSize(tag, size);
            in.buffer().position(in.buffer().position() + size);
        }
    }

    /** A growing byte array for one key or value. */
    private static final class Out {
        private byte[] bytes = new byte[64];
        private int size;

        void writeByte(byte value) {
            ensure(1);
            bytes[size++] = value;
        }

        void writeShort(short value) {
            writeByte((byte) (value >> 8));
            writeByte((byte) value);
        }

        void writeInt(int value) {
            writeShort((short) (value >> 16));
            writeShort((short) value);
        }

        void writeLong(long value) {
            writeInt((int) (value >> 32));
            writeInt((int) value);
        }

        void writeUuid(Uuid uuid) {
            writeLong(uuid.mostSignificantBits());
            writeLong(uuid.leastSignificantBits());
        }

        void writeUnsignedVarint(int value) {
            while ((value & ~0x7F) != 0) {
                writeByte((byte) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            writeByte((byte) value);
        }

        void writeCount(int count) {
            writeUnsignedVarint(count + 1);
        }

        void writeNoTaggedFields() {
            writeUnsignedVarint(0);
        }

        void writeString16(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            if (utf8.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("A key string is at most 32767 bytes, not " + utf8.length);
            }
            writeShort((short) utf8.length);
            writeBytes(utf8);
        }

        void writeCompactString(String value) {
            if (value == null) {
                writeUnsignedVarint(0);
                return;
            }
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            writeUnsignedVarint(utf8.length + 1);
            writeBytes(utf8);
        }

        void writeBytes(byte[] source) {
            ensure(source.length);
            System.arraycopy(source, 0, bytes, size, source.length);
            size += source.length;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }

        private void ensure(int more) {
            if (size + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
            }
        }
    }
}
