package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import java.util.List;
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
        Assignment pendingRevocation) {

    /** The epoch a static member has while it is away (it sent epoch -2). */
    public static final int STATIC_LEFT_EPOCH = -2;

    public ConsumerGroupMember {
        Objects.requireNonNull(memberId);
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(clientHost);
        Objects.requireNonNull(state);
        Objects.requireNonNull(assigned);
        Objects.requireNonNull(pendingRevocation);
        subscribedTopicNames = List.copyOf(new TreeSet<>(subscribedTopicNames));
        if (subscribedTopicRegex != null && subscribedTopicRegex.isEmpty()) {
            subscribedTopicRegex = null;
        }
    }

    /** A member that has just asked to join: no subscription, no partitions, epoch 0. */
    public static ConsumerGroupMember joining(String memberId) {
        return new ConsumerGroupMember(memberId, null, null, "", "", List.of(), null, -1, null,
            0, 0, MemberState.STABLE, Assignment.EMPTY, Assignment.EMPTY);
    }

    /** This member with the static data and subscription of a type 5 record. */
    public ConsumerGroupMember withSubscription(ConsumerGroupRecord.MemberSubscription record) {
        return new ConsumerGroupMember(memberId, record.instanceId(), record.rackId(), record.clientId(),
            record.clientHost(), record.subscribedTopicNames(), record.subscribedTopicRegex(),
            record.rebalanceTimeoutMs(), record.serverAssignor(), memberEpoch, previousMemberEpoch, state, assigned,
            pendingRevocation);
    }

    /** This member with the reconciliation state of a type 8 record. */
    public ConsumerGroupMember withCurrentAssignment(ConsumerGroupRecord.CurrentAssignment record) {
        return withAssignment(record.memberEpoch(), record.previousMemberEpoch(), record.state(), record.assigned(),
            record.pendingRevocation());
    }

    /**
     * A static member's new incarnation, joining under a new member id: the same data and
     * partitions, at epoch 0 so its first heartbeat reconciles it.
     */
    public ConsumerGroupMember rejoinedAs(String newMemberId) {
        return new ConsumerGroupMember(newMemberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
            subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor, 0, 0, state, assigned, pendingRevocation);
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
            memberEpoch, previousMemberEpoch, state, assigned, pendingRevocation);
    }

    /**
     * This member at another point of reconciliation. The previous epoch follows the epoch: it
     * becomes the old epoch when the epoch changes, and is kept otherwise.
     */
    public ConsumerGroupMember withAssignment(
            int newMemberEpoch, MemberState newState, Assignment newAssigned, Assignment newPendingRevocation) {
        int newPrevious = newMemberEpoch != memberEpoch ? memberEpoch : previousMemberEpoch;
        return withAssignment(newMemberEpoch, newPrevious, newState, newAssigned, newPendingRevocation);
    }

    private ConsumerGroupMember withAssignment(
            int newMemberEpoch, int newPreviousEpoch, MemberState newState, Assignment newAssigned,
            Assignment newPendingRevocation) {
        return new ConsumerGroupMember(memberId, instanceId, rackId, clientId, clientHost, subscribedTopicNames,
            subscribedTopicRegex, rebalanceTimeoutMs, serverAssignor, newMemberEpoch, newPreviousEpoch, newState,
            newAssigned, newPendingRevocation);
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
            assigned, pendingRevocation);
    }

    /** True if this is a static member ({@code group.instance.id} set). */
    public boolean isStatic() {
        return instanceId != null;
    }
}
