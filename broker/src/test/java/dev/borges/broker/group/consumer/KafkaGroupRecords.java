package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupCurrentMemberAssignmentValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMemberMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupPartitionMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupPartitionMetadataValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMemberValue;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataKey;
import org.apache.kafka.coordinator.group.generated.ConsumerGroupTargetAssignmentMetadataValue;

/**
 * Kafka 4's own {@code __consumer_offsets} record classes (kafka-group-coordinator, test scope),
 * as the oracle for {@link ConsumerGroupRecordCodec}: they read our bytes into our records, and
 * write our records as Kafka would, including the optional tagged fields Kafka adds.
 */
final class KafkaGroupRecords {
    private KafkaGroupRecords() {
    }

    /** Reads key and value bytes with Kafka's classes. */
    static ConsumerGroupRecord read(byte[] keyBytes, byte[] valueBytes) {
        ByteBuffer key = ByteBuffer.wrap(keyBytes);
        short type = key.getShort();
        ByteBufferAccessor keyReader = new ByteBufferAccessor(key);
        ByteBuffer value = valueBytes == null ? null : ByteBuffer.wrap(valueBytes);
        short version = value == null ? 0 : value.getShort();
        ByteBufferAccessor in = value == null ? null : new ByteBufferAccessor(value);
        switch (type) {
            case 3 -> {
                String groupId = new ConsumerGroupMetadataKey(keyReader, (short) 0).groupId();
                return in == null ? tombstone(3, groupId, null)
                    : new ConsumerGroupRecord.GroupEpoch(groupId, new ConsumerGroupMetadataValue(in, version).epoch());
            }
            case 4 -> {
                String groupId = new ConsumerGroupPartitionMetadataKey(keyReader, (short) 0).groupId();
                if (in == null) {
                    return tombstone(4, groupId, null);
                }
                Map<String, ConsumerGroupRecord.TopicMetadata> topics = new LinkedHashMap<>();
                new ConsumerGroupPartitionMetadataValue(in, version).topics().forEach(topic -> topics.put(topic.topicName(),
                    new ConsumerGroupRecord.TopicMetadata(ours(topic.topicId()), topic.topicName(), topic.numPartitions())));
                return new ConsumerGroupRecord.SubscriptionMetadata(groupId, topics);
            }
            case 5 -> {
                ConsumerGroupMemberMetadataKey k = new ConsumerGroupMemberMetadataKey(keyReader, (short) 0);
                if (in == null) {
                    return tombstone(5, k.groupId(), k.memberId());
                }
                ConsumerGroupMemberMetadataValue v = new ConsumerGroupMemberMetadataValue(in, version);
                return new ConsumerGroupRecord.MemberSubscription(k.groupId(), k.memberId(), v.instanceId(), v.rackId(),
                    v.clientId(), v.clientHost(), v.subscribedTopicNames(), v.subscribedTopicRegex(),
                    v.rebalanceTimeoutMs(), v.serverAssignor());
            }
            case 6 -> {
                String groupId = new ConsumerGroupTargetAssignmentMetadataKey(keyReader, (short) 0).groupId();
                return in == null ? tombstone(6, groupId, null) : new ConsumerGroupRecord.TargetAssignmentEpoch(groupId,
                    new ConsumerGroupTargetAssignmentMetadataValue(in, version).assignmentEpoch());
            }
            case 7 -> {
                ConsumerGroupTargetAssignmentMemberKey k = new ConsumerGroupTargetAssignmentMemberKey(keyReader, (short) 0);
                if (in == null) {
                    return tombstone(7, k.groupId(), k.memberId());
                }
                Assignment.Builder builder = Assignment.builder();
                new ConsumerGroupTargetAssignmentMemberValue(in, version).topicPartitions()
                    .forEach(topic -> builder.addAll(ours(topic.topicId()), topic.partitions()));
                return new ConsumerGroupRecord.TargetAssignmentMember(k.groupId(), k.memberId(), builder.build());
            }
            case 8 -> {
                ConsumerGroupCurrentMemberAssignmentKey k = new ConsumerGroupCurrentMemberAssignmentKey(keyReader, (short) 0);
                if (in == null) {
                    return tombstone(8, k.groupId(), k.memberId());
                }
                ConsumerGroupCurrentMemberAssignmentValue v = new ConsumerGroupCurrentMemberAssignmentValue(in, version);
                Map<TopicPartition, Integer> epochs = new HashMap<>();
                for (List<ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions> topics
                        : List.of(v.assignedPartitions(), v.partitionsPendingRevocation())) {
                    topics.stream().filter(topic -> topic.assignmentEpochs() != null).forEach(topic -> {
                        for (int index = 0; index < topic.partitions().size(); index++) {
                            epochs.put(new TopicPartition(ours(topic.topicId()), topic.partitions().get(index)),
                                topic.assignmentEpochs().get(index));
                        }
                    });
                }
                return new ConsumerGroupRecord.CurrentAssignment(k.groupId(), k.memberId(), v.memberEpoch(),
                    v.previousMemberEpoch(), MemberState.forCode(v.state()), ours(v.assignedPartitions()),
                    ours(v.partitionsPendingRevocation()), epochs);
            }
            default -> throw new AssertionError("Not a consumer group record type: " + type);
        }
    }

    /** The key Kafka writes for this record: the record type, then the key fields. */
    static byte[] key(ConsumerGroupRecord record) {
        String groupId = record.groupId();
        String memberId = record instanceof ConsumerGroupRecord.Tombstone tombstone ? tombstone.memberId() : memberIdOf(record);
        ApiMessage key = switch (record.type()) {
            case GROUP_METADATA -> new ConsumerGroupMetadataKey().setGroupId(groupId);
            case PARTITION_METADATA -> new ConsumerGroupPartitionMetadataKey().setGroupId(groupId);
            case MEMBER_METADATA -> new ConsumerGroupMemberMetadataKey().setGroupId(groupId).setMemberId(memberId);
            case TARGET_ASSIGNMENT_METADATA -> new ConsumerGroupTargetAssignmentMetadataKey().setGroupId(groupId);
            case TARGET_ASSIGNMENT_MEMBER -> new ConsumerGroupTargetAssignmentMemberKey().setGroupId(groupId).setMemberId(memberId);
            case CURRENT_MEMBER_ASSIGNMENT -> new ConsumerGroupCurrentMemberAssignmentKey().setGroupId(groupId).setMemberId(memberId);
        };
        return MessageUtil.toCoordinatorTypePrefixedBytes(key);
    }

    /**
     * The value Kafka writes for this record, with the tagged fields newer Kafka versions set
     * (metadata hash, assignment timestamp, assignment epochs) so our reader has to skip them.
     */
    static byte[] value(ConsumerGroupRecord record) {
        ApiMessage value;
        if (record instanceof ConsumerGroupRecord.Tombstone) {
            return null;
        } else if (record instanceof ConsumerGroupRecord.GroupEpoch epoch) {
            value = new ConsumerGroupMetadataValue().setEpoch(epoch.epoch()).setMetadataHash(0x1234_5678_9ABCL);
        } else if (record instanceof ConsumerGroupRecord.SubscriptionMetadata metadata) {
            List<ConsumerGroupPartitionMetadataValue.TopicMetadata> topics = new ArrayList<>();
            metadata.topics().values().forEach(topic -> topics.add(new ConsumerGroupPartitionMetadataValue.TopicMetadata()
                .setTopicId(kafka(topic.topicId()))
                .setTopicName(topic.name())
                .setNumPartitions(topic.partitionCount())
                .setPartitionMetadata(List.of(new ConsumerGroupPartitionMetadataValue.PartitionMetadata()
                    .setPartition(0).setRacks(List.of("rack-a", "rack-b"))))));
            value = new ConsumerGroupPartitionMetadataValue().setTopics(topics);
        } else if (record instanceof ConsumerGroupRecord.MemberSubscription member) {
            value = new ConsumerGroupMemberMetadataValue()
                .setInstanceId(member.instanceId())
                .setRackId(member.rackId())
                .setClientId(member.clientId())
                .setClientHost(member.clientHost())
                .setSubscribedTopicNames(member.subscribedTopicNames())
                .setSubscribedTopicRegex(member.subscribedTopicRegex())
                .setRebalanceTimeoutMs(member.rebalanceTimeoutMs())
                .setServerAssignor(member.serverAssignor());
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentEpoch epoch) {
            value = new ConsumerGroupTargetAssignmentMetadataValue()
                .setAssignmentEpoch(epoch.assignmentEpoch())
                .setAssignmentTimestamp(1_700_000_000_000L);
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentMember target) {
            List<ConsumerGroupTargetAssignmentMemberValue.TopicPartition> topics = new ArrayList<>();
            target.assignment().partitions().forEach((topicId, partitions) -> topics.add(
                new ConsumerGroupTargetAssignmentMemberValue.TopicPartition()
                    .setTopicId(kafka(topicId)).setPartitions(new ArrayList<>(partitions))));
            value = new ConsumerGroupTargetAssignmentMemberValue().setTopicPartitions(topics);
        } else {
            ConsumerGroupRecord.CurrentAssignment current = (ConsumerGroupRecord.CurrentAssignment) record;
            value = new ConsumerGroupCurrentMemberAssignmentValue()
                .setMemberEpoch(current.memberEpoch())
                .setPreviousMemberEpoch(current.previousMemberEpoch())
                .setState(current.state().code)
                .setAssignedPartitions(kafka(current.assigned(), current.assignmentEpochs()))
                .setPartitionsPendingRevocation(kafka(current.pendingRevocation(), current.assignmentEpochs()));
        }
        return MessageUtil.toVersionPrefixedBytes((short) 0, value);
    }

    private static String memberIdOf(ConsumerGroupRecord record) {
        if (record instanceof ConsumerGroupRecord.MemberSubscription member) {
            return member.memberId();
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentMember target) {
            return target.memberId();
        } else if (record instanceof ConsumerGroupRecord.CurrentAssignment current) {
            return current.memberId();
        }
        return null;
    }

    private static ConsumerGroupRecord tombstone(int type, String groupId, String memberId) {
        return new ConsumerGroupRecord.Tombstone(ConsumerGroupRecord.RecordType.forId((short) type), groupId, memberId);
    }

    private static Assignment ours(List<ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions> topics) {
        Assignment.Builder builder = Assignment.builder();
        topics.forEach(topic -> builder.addAll(ours(topic.topicId()), topic.partitions()));
        return builder.build();
    }

    /** Kafka's topic partitions, with the assignment epochs; null epochs write the topics as Kafka before KIP-1251. */
    static List<ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions> kafka(
            Assignment assignment, Map<TopicPartition, Integer> epochs) {
        List<ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions> topics = new ArrayList<>();
        assignment.partitions().forEach((topicId, partitions) -> topics.add(
            new ConsumerGroupCurrentMemberAssignmentValue.TopicPartitions()
                .setTopicId(kafka(topicId))
                .setPartitions(new ArrayList<>(partitions))
                .setAssignmentEpochs(epochs == null ? null
                    : partitions.stream().map(partition -> epochs.get(new TopicPartition(topicId, partition))).toList())));
        return topics;
    }

    private static Uuid ours(org.apache.kafka.common.Uuid id) {
        return new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    private static org.apache.kafka.common.Uuid kafka(Uuid id) {
        return new org.apache.kafka.common.Uuid(id.mostSignificantBits(), id.leastSignificantBits());
    }
}
