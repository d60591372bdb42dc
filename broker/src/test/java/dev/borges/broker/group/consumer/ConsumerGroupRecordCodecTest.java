package dev.borges.broker.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.MalformedMessageException;
import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsumerGroupRecordCodecTest {
    private static final Uuid TOPIC = new Uuid(0x0102030405060708L, 0x090A0B0C0D0E0F10L);

    @Test
    void groupEpochKeyAndValueAreKafkasBytes() {
        ConsumerGroupRecord record = new ConsumerGroupRecord.GroupEpoch("g", 7);

        assertThat(hex(ConsumerGroupRecordCodec.key(record))).isEqualTo("0003" + "0001" + "67");
        // version 0, epoch 7, no tagged fields
        assertThat(hex(ConsumerGroupRecordCodec.value(record))).isEqualTo("0000" + "00000007" + "00");
    }

    @Test
    void currentAssignmentValueIsLaidOutFieldByField() {
        ConsumerGroupRecord record = new ConsumerGroupRecord.CurrentAssignment("g", "m", 5, 4,
            MemberState.UNREVOKED_PARTITIONS, Assignment.of(Map.of(TOPIC, List.of(0, 2))), Assignment.EMPTY,
            Map.of(new TopicPartition(TOPIC, 0), 3, new TopicPartition(TOPIC, 2), 5));

        assertThat(hex(ConsumerGroupRecordCodec.key(record))).isEqualTo("0008" + "0001" + "67" + "0001" + "6d");
        assertThat(hex(ConsumerGroupRecordCodec.value(record))).isEqualTo("0000"
            + "00000005" + "00000004" + "01"
            // one topic: id, partitions [0, 2], then one tagged field: tag 0, 9 bytes, assignment_epochs [3, 5]
            + "02" + "0102030405060708090a0b0c0d0e0f10" + "03" + "00000000" + "00000002"
            + "01" + "00" + "09" + "03" + "00000003" + "00000005"
            + "01"
            + "00");
    }

    @Test
    void currentAssignmentBytesAreKafkasOwn() {
        ConsumerGroupRecord record = new ConsumerGroupRecord.CurrentAssignment("g", "m", 9, 7,
            MemberState.UNREVOKED_PARTITIONS, Assignment.of(Map.of(TOPIC, List.of(0, 2), new Uuid(1, 2), List.of(4))),
            Assignment.of(Map.of(new Uuid(1, 2), List.of(1))),
            Map.of(new TopicPartition(TOPIC, 0), 3, new TopicPartition(TOPIC, 2), 9, new TopicPartition(new Uuid(1, 2), 4), 7,
                new TopicPartition(new Uuid(1, 2), 1), 2));

        assertThat(hex(ConsumerGroupRecordCodec.value(record))).isEqualTo(hex(KafkaGroupRecords.value(record)));
        assertThat(KafkaGroupRecords.read(ConsumerGroupRecordCodec.key(record), ConsumerGroupRecordCodec.value(record)))
            .isEqualTo(record);
    }

    @Test
    void currentAssignmentWithoutAssignmentEpochsReadsAsAssignedAtTheMemberEpoch() {
        Assignment assigned = Assignment.of(Map.of(TOPIC, List.of(0, 2)));
        Assignment pending = Assignment.of(Map.of(new Uuid(1, 2), List.of(1)));
        byte[] key = ConsumerGroupRecordCodec.key(new ConsumerGroupRecord.CurrentAssignment("g", "m", 5, 4,
            MemberState.STABLE, assigned, pending));

        ConsumerGroupRecord.CurrentAssignment read = (ConsumerGroupRecord.CurrentAssignment) ConsumerGroupRecordCodec.decode(
            key, kafkaValueBeforeAssignmentEpochs(5, assigned, pending));
        ConsumerGroupRecord.CurrentAssignment away = (ConsumerGroupRecord.CurrentAssignment) ConsumerGroupRecordCodec.decode(
            key, kafkaValueBeforeAssignmentEpochs(ConsumerGroupMember.STATIC_LEFT_EPOCH, assigned, pending));

        assertThat(read.assignmentEpochs()).isEqualTo(Map.of(new TopicPartition(TOPIC, 0), 5, new TopicPartition(TOPIC, 2), 5,
            new TopicPartition(new Uuid(1, 2), 1), 5));
        assertThat(read.assigned()).isEqualTo(assigned);
        assertThat(read.pendingRevocation()).isEqualTo(pending);
        assertThat(away.assignmentEpochs()).as("a static member away, at epoch -2").containsValue(0).doesNotContainValue(-2);
    }

    @Test
    void rejectsAssignmentEpochsThatDoNotMatchThePartitions() {
        byte[] key = HexFormat.of().parseHex("0008" + "0001" + "67" + "0001" + "6d");
        // partitions [0, 2] but assignment_epochs [3]
        byte[] value = HexFormat.of().parseHex("0000" + "00000005" + "00000004" + "00"
            + "02" + "0102030405060708090a0b0c0d0e0f10" + "03" + "00000000" + "00000002"
            + "01" + "00" + "05" + "02" + "00000003"
            + "01" + "00");

        assertThatThrownBy(() -> ConsumerGroupRecordCodec.decode(key, value))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("assignment_epochs");
    }

    @Test
    void everyKindOfRecordRoundTrips() {
        List<ConsumerGroupRecord> records = List.of(
            new ConsumerGroupRecord.GroupEpoch("group", 3),
            new ConsumerGroupRecord.SubscriptionMetadata("group", Map.of(
                "orders", new ConsumerGroupRecord.TopicMetadata(TOPIC, "orders", 12),
                "payments", new ConsumerGroupRecord.TopicMetadata(new Uuid(1, 2), "payments", 1))),
            new ConsumerGroupRecord.MemberSubscription("group", "member-1", "instance", "rack-a", "client", "/10.0.0.1",
                List.of("orders", "payments"), "ord.*", 300_000, "range"),
            new ConsumerGroupRecord.MemberSubscription("group", "member-2", null, null, "", "", List.of(), null, -1, null),
            new ConsumerGroupRecord.TargetAssignmentEpoch("group", 3),
            new ConsumerGroupRecord.TargetAssignmentMember("group", "member-1",
                Assignment.of(Map.of(TOPIC, List.of(1, 5, 9), new Uuid(1, 2), List.of(0)))),
            new ConsumerGroupRecord.TargetAssignmentMember("group", "member-2", Assignment.EMPTY),
            new ConsumerGroupRecord.CurrentAssignment("group", "member-1", 3, 2, MemberState.UNRELEASED_PARTITIONS,
                Assignment.of(Map.of(TOPIC, List.of(1))), Assignment.of(Map.of(new Uuid(1, 2), List.of(0))),
                Map.of(new TopicPartition(TOPIC, 1), 1)),
            ConsumerGroupRecord.Tombstone.ofGroup(ConsumerGroupRecord.RecordType.GROUP_METADATA, "group"),
            ConsumerGroupRecord.Tombstone.ofMember(ConsumerGroupRecord.RecordType.CURRENT_MEMBER_ASSIGNMENT, "group", "m"));

        for (ConsumerGroupRecord record : records) {
            assertThat(roundTrip(record)).isEqualTo(record);
        }
    }

    @Test
    void tombstoneHasNoValue() {
        ConsumerGroupRecord tombstone =
            ConsumerGroupRecord.Tombstone.ofMember(ConsumerGroupRecord.RecordType.MEMBER_METADATA, "g", "m");

        assertThat(ConsumerGroupRecordCodec.value(tombstone)).isNull();
        assertThat(ConsumerGroupRecordCodec.decode(ConsumerGroupRecordCodec.key(tombstone), null)).isEqualTo(tombstone);
    }

    @Test
    void recognisesOnlyConsumerGroupKeys() {
        assertThat(ConsumerGroupRecordCodec.typeOf(ByteBuffer.wrap(new byte[] {0, 5, 0, 0, 0, 0})))
            .isEqualTo(ConsumerGroupRecord.RecordType.MEMBER_METADATA);
        assertThat(ConsumerGroupRecordCodec.typeOf(ByteBuffer.wrap(new byte[] {0, 1, 0, 0}))).as("an offset commit").isNull();
        assertThat(ConsumerGroupRecordCodec.typeOf(ByteBuffer.wrap(new byte[] {0, 2, 0, 0}))).as("a classic group").isNull();
        assertThat(ConsumerGroupRecordCodec.typeOf(ByteBuffer.wrap(new byte[] {0}))).isNull();
    }

    @Test
    void stateWrittenByANewerBrokerIsReadAsUnknown() {
        byte[] value = HexFormat.of().parseHex("0000" + "00000001" + "00000000" + "09" + "01" + "01" + "00");

        ConsumerGroupRecord record = ConsumerGroupRecordCodec.decode(
            HexFormat.of().parseHex("0008" + "0001" + "67" + "0001" + "6d"), value);

        assertThat(((ConsumerGroupRecord.CurrentAssignment) record).state()).isEqualTo(MemberState.UNKNOWN);
    }

    @Test
    void skipsTaggedFieldsItDoesNotKnow() {
        // epoch 7, then one tagged field: tag 0 (Kafka's metadata hash), 8 bytes
        byte[] value = HexFormat.of().parseHex("0000" + "00000007" + "01" + "00" + "08" + "0000000000000abc");

        ConsumerGroupRecord record = ConsumerGroupRecordCodec.decode(HexFormat.of().parseHex("0003" + "0001" + "67"), value);

        assertThat(record).isEqualTo(new ConsumerGroupRecord.GroupEpoch("g", 7));
    }

    @Test
    void rejectsTruncatedAndTrailingBytesAndUnknownVersions() {
        byte[] key = HexFormat.of().parseHex("0003" + "0001" + "67");

        assertThatThrownBy(() -> ConsumerGroupRecordCodec.decode(key, HexFormat.of().parseHex("0000" + "0000")))
            .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ConsumerGroupRecordCodec.decode(key, HexFormat.of().parseHex("0000" + "00000007" + "00" + "ff")))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("bytes after the value");
        assertThatThrownBy(() -> ConsumerGroupRecordCodec.decode(key, HexFormat.of().parseHex("0001" + "00000007" + "00")))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("version 1");
        assertThatThrownBy(() -> ConsumerGroupRecordCodec.decode(HexFormat.of().parseHex("0003" + "0005" + "67"), null))
            .isInstanceOf(MalformedMessageException.class);
        assertThatThrownBy(() -> ConsumerGroupRecordCodec.decode(HexFormat.of().parseHex("0001" + "0001" + "67"), null))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("not a consumer group record");
    }

    @Test
    void hostileArrayCountFailsBeforeAllocating() {
        byte[] key = HexFormat.of().parseHex("0007" + "0001" + "67" + "0001" + "6d");
        // topic_partitions claims 2^28 elements
        byte[] value = HexFormat.of().parseHex("0000" + "80808080" + "01");

        assertThatThrownBy(() -> ConsumerGroupRecordCodec.decode(key, value))
            .isInstanceOf(MalformedMessageException.class).hasMessageContaining("topic_partitions");
    }

    /** A type 8 value as Kafka wrote it before KIP-1251: no assignment epochs. */
    static byte[] kafkaValueBeforeAssignmentEpochs(int memberEpoch, Assignment assigned, Assignment pending) {
        return org.apache.kafka.common.protocol.MessageUtil.toVersionPrefixedBytes((short) 0,
            new org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentValue()
                .setMemberEpoch(memberEpoch)
                .setPreviousMemberEpoch(memberEpoch - 1)
                .setState(MemberState.STABLE.code)
                .setAssignedPartitions(KafkaGroupRecords.kafka(assigned, null))
                .setPartitionsPendingRevocation(KafkaGroupRecords.kafka(pending, null)));
    }

    static ConsumerGroupRecord roundTrip(ConsumerGroupRecord record) {
        return ConsumerGroupRecordCodec.decode(ConsumerGroupRecordCodec.key(record), ConsumerGroupRecordCodec.value(record));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
