package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.PartitionAssignor;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import dev.borges.protocol.message.DescribeGroupsResponseData;
import dev.borges.protocol.message.ListGroupsResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How KIP-848 consumer groups look from the outside, as Kafka answers: ConsumerGroupDescribe
 * entries, ListGroups entries (type and protocol type "consumer", Kafka's state names), and the
 * DescribeGroups entry of a consumer group (the classic API does not describe them: Kafka answers
 * GROUP_ID_NOT_FOUND with state "Dead", and admin clients then use ConsumerGroupDescribe).
 * Stateless; called on the shard's thread, since it reads groups.
 */
public final class ConsumerGroupDescriber {
    /** The group type and protocol type of KIP-848 consumer groups. */
    public static final String CONSUMER = "consumer";
    /** ConsumerGroupDescribe v1+: the member uses the consumer protocol. */
    static final byte CONSUMER_MEMBER_TYPE = 1;

    private ConsumerGroupDescriber() {
    }

    /** The ConsumerGroupDescribe entry of a group; authorized operations are the handler's to set. */
    public static ConsumerGroupDescribeResponseData.DescribedGroup describe(
            ConsumerGroup group, ConsumerGroupConfig config, TopicsView topics) {
        List<ConsumerGroupDescribeResponseData.Member> members = new ArrayList<>();
        for (ConsumerGroupMember member : group.members().values()) {
            members.add(new ConsumerGroupDescribeResponseData.Member()
                .setMemberId(member.memberId())
                .setInstanceId(member.instanceId())
                .setRackId(member.rackId())
                .setMemberEpoch(member.memberEpoch())
                .setClientId(member.clientId())
                .setClientHost(member.clientHost())
                .setSubscribedTopicNames(new ArrayList<>(member.subscribedTopicNames()))
                .setSubscribedTopicRegex(member.subscribedTopicRegex())
                .setAssignment(describe(member.assigned(), topics))
                .setTargetAssignment(describe(group.targetAssignment(member.memberId()), topics))
                .setMemberType(CONSUMER_MEMBER_TYPE));
        }
        return new ConsumerGroupDescribeResponseData.DescribedGroup()
            .setGroupId(group.groupId())
            .setGroupState(group.state().toString())
            .setGroupEpoch(group.groupEpoch())
            .setAssignmentEpoch(group.assignmentEpoch())
            .setAssignorName(preferredAssignor(group.members().values(), config).name())
            .setMembers(members);
    }

    /** The ConsumerGroupDescribe entry of a group that does not exist (or is not a consumer group). */
    public static ConsumerGroupDescribeResponseData.DescribedGroup notFound(String groupId) {
        return new ConsumerGroupDescribeResponseData.DescribedGroup()
            .setGroupId(groupId)
            .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code)
            .setErrorMessage("Group " + groupId + " not found.");
    }

    /** The ListGroups entry of a group. */
    public static ListGroupsResponseData.ListedGroup listed(ConsumerGroup group) {
        return new ListGroupsResponseData.ListedGroup()
            .setGroupId(group.groupId())
            .setProtocolType(CONSUMER)
            .setGroupState(group.state().toString())
            .setGroupType(CONSUMER);
    }

    /** The DescribeGroups (classic API) entry of a KIP-848 consumer group, as Kafka answers it. */
    public static DescribeGroupsResponseData.DescribedGroup describedAsClassic(ConsumerGroup group) {
        return new DescribeGroupsResponseData.DescribedGroup()
            .setGroupId(group.groupId())
            .setGroupState(ConsumerGroupState.DEAD.toString())
            .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code)
            .setErrorMessage("Group " + group.groupId() + " is not a classic group.");
    }

    /**
     * The assignor a group uses: the one most members ask for, ties broken by the configured
     * order; the default when no member asks.
     */
    public static PartitionAssignor preferredAssignor(Collection<ConsumerGroupMember> members, ConsumerGroupConfig config) {
        Map<String, Integer> votes = new HashMap<>();
        for (ConsumerGroupMember member : members) {
            if (member.serverAssignor() != null) {
                votes.merge(member.serverAssignor(), 1, Integer::sum);
            }
        }
        PartitionAssignor best = config.defaultAssignor();
        int bestVotes = 0;
        for (PartitionAssignor assignor : config.assignors()) {
            int count = votes.getOrDefault(assignor.name(), 0);
            if (count > bestVotes) {
                best = assignor;
                bestVotes = count;
            }
        }
        return best;
    }

    private static ConsumerGroupDescribeResponseData.Assignment describe(Assignment assignment, TopicsView topics) {
        List<ConsumerGroupDescribeResponseData.TopicPartitions> partitions = new ArrayList<>();
        assignment.partitions().forEach((topicId, topicPartitions) -> {
            TopicsView.TopicInfo topic = topics.topic(topicId);
            // Like Kafka, a topic deleted since is left out: it has no name to show.
            if (topic != null) {
                partitions.add(new ConsumerGroupDescribeResponseData.TopicPartitions()
                    .setTopicId(topicId)
                    .setTopicName(topic.name())
                    .setPartitions(new ArrayList<>(topicPartitions)));
            }
        });
        return new ConsumerGroupDescribeResponseData.Assignment().setTopicPartitions(partitions);
    }
}
