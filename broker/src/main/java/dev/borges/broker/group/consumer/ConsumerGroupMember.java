package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.types.Uuid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * One member of a KIP-848 consumer group: what it told the coordinator (its
 * {@link ConsumerGroupRecord.MemberSubscription}) and where it stands in reconciliation (its
 * {@link ConsumerGroupRecord.CurrentAssignment}). Immutable; the {@code with…} methods return
 * changed copies, which operations turn into records.
 *
 * @param memberEpoch       the epoch the member must heartbeat with; 0 before its first
 *                          assignment, -2 for a static member that left for now
 * @param assigned          partitions the member owns or may start using
 * @param pendingRevocation partitions it still owns but must give back
 * @param assignmentEpochs  the epoch at which each partition of {@code assigned} and
 *                          {@code pendingRevocation} was assigned to the member: it may commit the
 *                          partition's offsets with any epoch from that one up to {@code memberEpoch}
 *                          (KIP-1251), so a commit sent just before an epoch bump it has not yet
 *                          heard of still counts for the partitions it keeps
 */
public record ConsumerGroupMember(
        String memberId,
        String instanceId,
        String rackId,
        String clientId,
        String clientHost,
        List<String> subscribedTopicNames,
        String subscribedTopicRegex,
        int rebalanceTimeoutMs,
        String serverAssignor,
        int memberEpoch,
        int previousMemberEpoch,
        MemberState state,
        Assignment assigned,
        Assignment pendingRevocation,
        Map<TopicPartition, Integer> assignmentEpochs) {

    /** The epoch a static member has while it is away (it sent epoch -2). */
    public static final int STATIC_LEFT_EPOCH = -2;

    public ConsumerGroupMember {
        Objects.requireNonNull(memberId);
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(clientHost);
        Objects.requireNonNull(state);
        Objects.requireNonNull(assigned);
        Objects.requireNonNull(pendingRevocation);
        assignmentEpochs = Map.copyOf(assignmentEpochs);
        subscribedTopicNames = List.copyOf(new TreeSet<>(subscribedTopicNames));
        if (subscribedTopicRegex != null && subscribedTopicRegex.isEmpty()) {
            subscribedTopicRegex = null;
        }
    }

    /** A member that has just asked to join: no subscription, no partitions, epoch 0. */
    public static ConsumerGroupMember joining(String memberId) {
        return new ConsumerGroupMember(memberId, null, null, "", "", List.of(), null, -1, null,
            0, 0, MemberState.STABLE, Assignment.EMPTY, Assignment.EMPTY, Map.of());
    }

    /** This member with the static data and subscription of a type 5 record. */
    public ConsumerGroupMember withSubscription(ConsumerGroupRecord.MemberSubscription record) {
        return new ConsumerGroupMember(memberId, record.instanceId(), record.rackId(), record.clientId(),
            record.clientHost(), record.subscribedTopicNames(), record.subscribedTopicRegex(),
            record.rebalanceTimeoutMs(), record.serverAssignor(), memberEpoch, previousMemberEpoch, state, assigned,
            pendingRevocation, assignmentEpochs);
    }

    /** This member with the reconciliation state of a type 8 record. */
    public ConsumerGroupMember withCurrentAssignment(ConsumerGroupRecord.CurrentAssignment record) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
            subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor, record.memberEpoch(), record.previousMemberEpoch(),
            record.state(), record.assigned(), record.pendingRevocation(), record.assignmentEpochs());
    }

    /**
     * A static member's new incarnation, joining under a new member id: the same data and
     * partitions, at epoch 0 so its first heartbeat reconciles it.
     */
    public ConsumerGroupMember rejoinedAs(String newMemberId) {
        return new ConsumerGroupMember(newMemberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
            subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor, 0, 0, state, assigned, pendingRevocation,
            assignmentEpochs);
    }

    /** This member with new static data and subscription; null arguments (and -1 timeout) keep the current value. */
    public ConsumerGroupMember withRequest(
            String newInstanceId,
            String newRackId,
            int newRebalanceTimeoutMs,
            String newServerAssignor,
            List<String> newTopicNames,
            String newTopicRegex,
            String newClientId,
            String newClientHost) {
        return new ConsumerGroupMember(memberId,
            newInstanceId != null ? newInstanceId : instanceId,
            newRackId != null ? newRackId : rackId,
            newClientId,
            newClientHost,
            newTopicNames != null ? newTopicNames : subscribedTopicNames,
            newTopicRegex != null ? newTopicRegex : subscribedTopicRegex,
            newRebalanceTimeoutMs != -1 ? newRebalanceTimeoutMs : rebalanceTimeoutMs,
            newServerAssignor != null ? newServerAssignor : serverAssignor,
            memberEpoch, previousMemberEpoch, state, assigned, pendingRevocation, assignmentEpochs);
    }

    /**
     * This member at another point of reconciliation. The previous epoch follows the epoch: it
     * becomes the old epoch when the epoch changes, and is kept otherwise.
     *
     * <p>A partition keeps its assignment epoch while the member holds it without a break: one it
     * had assigned and still has (assigned, or now pending revocation), or one still pending
     * revocation. Any other partition is newly assigned, at {@code newMemberEpoch}; so is one that
     * was pending revocation and comes back, as the member gave it up in between (or may have).
     */
    public ConsumerGroupMember withAssignment(
            int newMemberEpoch, MemberState newState, Assignment newAssigned, Assignment newPendingRevocation) {
        int newPrevious = newMemberEpoch != memberEpoch ? memberEpoch : previousMemberEpoch;
        Map<TopicPartition, Integer> newEpochs = new HashMap<>();
        for (Assignment owned : List.of(newAssigned, newPendingRevocation)) {
            owned.partitions().forEach((topicId, partitions) -> partitions.forEach(partition -> {
                boolean held = assigned.contains(topicId, partition)
                    || owned == newPendingRevocation && pendingRevocation.contains(topicId, partition);
                Integer oldEpoch = assignmentEpochs.get(new TopicPartition(topicId, partition));
                newEpochs.put(new TopicPartition(topicId, partition), held && oldEpoch != null ? oldEpoch : newMemberEpoch);
            }));
        }
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
            subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor, newMemberEpoch, newPrevious, newState,
            newAssigned, newPendingRevocation, newEpochs);
    }

    /**
     * May this member commit offsets of the partition with {@code epoch}? Its current epoch is
     * always fine; an older one only for a partition it owns that was assigned to it at that epoch
     * or before (KIP-1251). A newer one never.
     */
    public boolean mayCommitWith(int epoch, Uuid topicId, int partition) {
        if (epoch == memberEpoch) {
            return true;
        }
        Integer assignmentEpoch = assignmentEpochs.get(new TopicPartition(topicId, partition));
        return assignmentEpoch != null && assignmentEpoch <= epoch && epoch <= memberEpoch;
    }

    /** True if the subscription part (what a type 5 record holds) differs. */
    public boolean subscriptionDiffers(ConsumerGroupMember other) {
        return !subscriptionRecord("").equals(other.subscriptionRecord(""));
    }

    /** True if the reconciliation part (what a type 8 record holds) differs. */
    public boolean assignmentDiffers(ConsumerGroupMember other) {
        return !currentAssignmentRecord("").equals(other.currentAssignmentRecord(""));
    }

    /** True if the member subscribes to other topic names or another regex. */
    public boolean topicsDiffer(ConsumerGroupMember other) {
        return !subscribedTopicNames.equals(other.subscribedTopicNames)
            || !Objects.equals(subscribedTopicRegex, other.subscribedTopicRegex);
    }

    public ConsumerGroupRecord.MemberSubscription subscriptionRecord(String groupId) {
        return new ConsumerGroupRecord.MemberSubscription(groupId, memberId, instanceId, rackId, clientId, clientHost,
            subscribedTopicNames, subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor);
    }

    public ConsumerGroupRecord.CurrentAssignment currentAssignmentRecord(String groupId) {
        return new ConsumerGroupRecord.CurrentAssignment(groupId, memberId, memberEpoch, previousMemberEpoch, state,
            assigned, pendingRevocation, assignmentEpochs);
    }

    /** True if this is a static member ({@code group.instance.id} set). */
    public boolean isStatic() {
        return instanceId != null;
    }
}
