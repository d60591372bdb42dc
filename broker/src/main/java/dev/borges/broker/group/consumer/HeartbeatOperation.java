package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.AssignmentSpec;
import dev.borges.broker.group.assignor.PartitionAssignor;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * One ConsumerGroupHeartbeat of a member joining or staying in a group (epochs 0 and above;
 * leaving is {@link ConsumerGroupManager}'s). It reads the group and writes records, in the order
 * replay applies them:
 *
 * <ol>
 *   <li><b>The member.</b> A join (epoch 0) creates it (member id from the client, or generated
 *       for version 0); a static member rejoining under a new member id replaces the instance
 *       that left with epoch -2, keeping its partitions (tombstones of the old member, its target
 *       and current assignment under the new id). Any other heartbeat must name a known member
 *       with its current epoch, or the previous one if the response carrying the bump was lost.
 *       Changed static data or subscription: a type 5 record.</li>
 *   <li><b>The group epoch.</b> Bumped (type 3) when the group is new, the member's topic names
 *       or regex changed, or the subscribed topics' metadata changed (type 4): topics created,
 *       deleted or grown, seen through the {@link TopicsView} on any member's heartbeat.</li>
 *   <li><b>The target assignment.</b> When the group epoch is past the assignment epoch, the
 *       assignor most members asked for computes a new target from every member's subscription
 *       and current target; changed members get a type 7 record, then the epoch a type 6.</li>
 *   <li><b>Reconciliation.</b> {@link MemberReconciler} moves this member one step towards its
 *       target (type 8 if it changed), starting or stopping its rebalance timeout.</li>
 * </ol>
 *
 * The member's session timeout restarts; the response carries its epoch and, when it sent a full
 * request or its partitions changed, its assignment. Single use; not thread-safe.
 */
final class HeartbeatOperation {
    private final ConsumerGroup group;
    private final ConsumerGroupConfig config;
    private final TopicSubscriptions subscriptions;
    private final TopicsView topics;
    private final long nowMs;
    private final List<ConsumerGroupRecord> records = new ArrayList<>();
    private final List<TimerChange> timers = new ArrayList<>();

    /**
     * @param group the group, possibly one no record created yet (a join creates it)
     */
    HeartbeatOperation(
            ConsumerGroup group, ConsumerGroupConfig config, TopicSubscriptions subscriptions, TopicsView topics, long nowMs) {
        this.group = group;
        this.config = config;
        this.subscriptions = subscriptions;
        this.topics = topics;
        this.nowMs = nowMs;
    }

    /**
     * @param memberId the member id of the request, or the generated one for a version 0 join
     * @throws GroupOperationException with the error to answer
     */
    ConsumerGroupResult<ConsumerGroupHeartbeatResponseData> run(
            ConsumerGroupHeartbeatRequestData request, String memberId, ClientInfo client) {
        String groupId = group.groupId();
        int requestEpoch = request.memberEpoch();
        Assignment owned = request.topicPartitions() == null ? null : ownedPartitions(request.topicPartitions());

        // 1. The member, and the static member it replaces if any.
        ConsumerGroupMember replaced = null;
        ConsumerGroupMember member;
        String instanceId = request.instanceId();
        ConsumerGroupMember existingStatic = instanceId == null ? null : group.staticMember(instanceId);
        if (instanceId != null && requestEpoch == 0 && existingStatic != null && !existingStatic.memberId().equals(memberId)) {
            if (existingStatic.memberEpoch() != ConsumerGroupMember.STATIC_LEFT_EPOCH) {
                throw new GroupOperationException(Errors.UNRELEASED_INSTANCE_ID, "Static member " + memberId
                    + " with instance id " + instanceId + " cannot join the group because the instance id is owned by "
                    + existingStatic.memberId() + " member.");
            }
            replaced = existingStatic;
            member = replaceStatic(existingStatic, memberId);
        } else if (instanceId != null && requestEpoch != 0) {
            if (existingStatic == null) {
                throw new GroupOperationException(Errors.UNKNOWN_MEMBER_ID, "Instance id " + instanceId + " is unknown.");
            }
            if (!existingStatic.memberId().equals(memberId)) {
                throw fencedInstance(memberId, instanceId, existingStatic);
            }
            checkEpoch(existingStatic, requestEpoch, owned);
            member = existingStatic;
        } else {
            member = knownOrJoining(memberId, requestEpoch, owned);
        }
        boolean isNew = group.member(member.memberId()) == null;
        ConsumerGroupMember previous = replaced != null ? replaced : group.member(member.memberId());

        ConsumerGroupMember updated = member.withRequest(instanceId, request.rackId(), request.rebalanceTimeoutMs(),
            request.serverAssignor(), request.subscribedTopicNames(), request.subscribedTopicRegex(), client.clientId(),
            client.clientHost());
        if (isNew || updated.subscriptionDiffers(member)) {
            records.add(updated.subscriptionRecord(groupId));
        }

        // 2. The group epoch.
        boolean bump = group.groupEpoch() == 0 || updated.topicsDiffer(member);
        if (updated.subscribedTopicRegex() != null
                && !updated.subscribedTopicRegex().equals(member.subscribedTopicRegex())) {
            subscriptions.checkEvaluable(updated.subscribedTopicRegex(), topics);
        }
        Map<String, ConsumerGroupRecord.TopicMetadata> metadata = subscriptions.metadata(
            swap(group.topicNameSubscribers(), previous == null ? List.of() : previous.subscribedTopicNames(),
                updated.subscribedTopicNames()),
            swap(group.regexSubscribers(), previous == null ? List.of() : regexOf(previous), regexOf(updated)),
            topics);
        if (!metadata.equals(group.subscriptionMetadata())) {
            records.add(new ConsumerGroupRecord.SubscriptionMetadata(groupId, metadata));
            bump = true;
        }
        int groupEpoch = group.groupEpoch();
        if (bump) {
            groupEpoch++;
            records.add(new ConsumerGroupRecord.GroupEpoch(groupId, groupEpoch));
        }

        // 3. The target assignment.
        int targetEpoch = group.assignmentEpoch();
        Assignment target = replaced != null
            ? group.targetAssignment(replaced.memberId())
            : group.targetAssignment(updated.memberId());
        if (groupEpoch > group.assignmentEpoch()) {
            Map<String, ConsumerGroupMember> members = new TreeMap<>(group.members());
            Map<String, Assignment> targets = new HashMap<>(group.targetAssignments());
            if (replaced != null) {
                members.remove(replaced.memberId());
                targets.remove(replaced.memberId());
                targets.put(updated.memberId(), target);
            }
            members.put(updated.memberId(), updated);
            target = assignTargets(members, targets, metadata, groupEpoch).getOrDefault(updated.memberId(), Assignment.EMPTY);
            targetEpoch = groupEpoch;
        }

        // 4. Reconciliation.
        String replacedId = replaced == null ? null : replaced.memberId();
        ConsumerGroupMember reconciled = MemberReconciler.reconcile(updated, targetEpoch, target, owned, (topicId, partition) -> {
            ConsumerGroup.PartitionOwner owner = group.owner(topicId, partition);
            if (owner == null) {
                return null;
            }
            // The replaced instance's partitions are this member's now.
            return owner.memberId().equals(replacedId) ? updated.memberId() : owner.memberId();
        });
        String rebalanceKey = new ConsumerGroupTimeout.Rebalance(groupId, memberId, 0).key();
        if (isNew || reconciled.assignmentDiffers(updated)) {
            records.add(reconciled.currentAssignmentRecord(groupId));
            if (reconciled.state() == MemberState.UNREVOKED_PARTITIONS) {
                timers.add(new TimerChange.Schedule(new ConsumerGroupTimeout.Rebalance(groupId, memberId,
                    reconciled.memberEpoch()), nowMs + reconciled.rebalanceTimeoutMs()));
            } else {
                timers.add(new TimerChange.Cancel(rebalanceKey));
            }
        }
        timers.add(new TimerChange.Schedule(new ConsumerGroupTimeout.Session(groupId, memberId),
            nowMs + config.sessionTimeoutMs()));

        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
            .setMemberId(memberId)
            .setMemberEpoch(reconciled.memberEpoch())
            .setHeartbeatIntervalMs(config.heartbeatIntervalMs());
        boolean fullRequest = requestEpoch == 0 || (request.rebalanceTimeoutMs() != -1
            && (request.subscribedTopicNames() != null || request.subscribedTopicRegex() != null)
            && request.topicPartitions() != null);
        if (fullRequest || !reconciled.assigned().equals(member.assigned())) {
            response.setAssignment(new ConsumerGroupHeartbeatResponseData.Assignment()
                .setTopicPartitions(responsePartitions(reconciled.assigned())));
        }
        return new ConsumerGroupResult<>(records, response, timers);
    }

    /** A dynamic member (or a static one joining for the first time): known, or created by a join. */
    private ConsumerGroupMember knownOrJoining(String memberId, int requestEpoch, Assignment owned) {
        ConsumerGroupMember existing = group.member(memberId);
        if (existing == null) {
            if (requestEpoch != 0) {
                throw new GroupOperationException(Errors.UNKNOWN_MEMBER_ID, "Member " + memberId
                    + " is not a member of group " + group.groupId() + ".");
            }
            checkRoomFor(memberId);
            return ConsumerGroupMember.joining(memberId);
        }
        checkEpoch(existing, requestEpoch, owned);
        return existing;
    }

    /**
     * The static member that left with epoch -2 comes back under a new member id: the new member
     * takes over its partitions and target, so the group does not rebalance.
     */
    private ConsumerGroupMember replaceStatic(ConsumerGroupMember old, String memberId) {
        String groupId = group.groupId();
        records.addAll(MemberRemoval.tombstones(groupId, old.memberId()));
        Assignment target = group.targetAssignment(old.memberId());
        if (!target.isEmpty()) {
            records.add(new ConsumerGroupRecord.TargetAssignmentMember(groupId, memberId, target));
        }
        MemberRemoval.cancelTimers(groupId, old.memberId(), timers);
        return old.rejoinedAs(memberId);
    }

    /**
     * The epoch a member sends must be its current one; 0 (a rejoin after being fenced) and the
     * previous one (the response with the bump was lost, and it owns no more than it is assigned)
     * are accepted too.
     */
    private static void checkEpoch(ConsumerGroupMember member, int requestEpoch, Assignment owned) {
        if (requestEpoch == 0 || requestEpoch == member.memberEpoch()) {
            return;
        }
        if (requestEpoch > member.memberEpoch()) {
            throw new GroupOperationException(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a greater "
                + "member epoch (" + requestEpoch + ") than the one known by the group coordinator ("
                + member.memberEpoch() + "). The member must abandon all its partitions and rejoin.");
        }
        if (requestEpoch != member.previousMemberEpoch() || owned == null || !isSubset(owned, member.assigned())) {
            throw new GroupOperationException(Errors.FENCED_MEMBER_EPOCH, "The consumer group member has a smaller "
                + "member epoch (" + requestEpoch + ") than the one known by the group coordinator ("
                + member.memberEpoch() + "). The member must abandon all its partitions and rejoin.");
        }
    }

    private void checkRoomFor(String memberId) {
        if (group.members().size() >= config.maxSize()) {
            throw new GroupOperationException(Errors.GROUP_MAX_SIZE_REACHED,
                "The consumer group has reached its maximum capacity of " + config.maxSize() + " members.");
        }
    }

    private static GroupOperationException fencedInstance(String memberId, String instanceId, ConsumerGroupMember owner) {
        return new GroupOperationException(Errors.FENCED_INSTANCE_ID, "Static member " + memberId + " with instance id "
            + instanceId + " was fenced by member " + owner.memberId() + ".");
    }

    /** Computes every member's new target, writes the changed ones and the assignment epoch. */
    private Map<String, Assignment> assignTargets(
            Map<String, ConsumerGroupMember> members,
            Map<String, Assignment> currentTargets,
            Map<String, ConsumerGroupRecord.TopicMetadata> metadata,
            int groupEpoch) {
        Map<String, AssignmentSpec.MemberSpec> specs = new TreeMap<>();
        members.forEach((id, member) -> specs.put(id, new AssignmentSpec.MemberSpec(
            subscriptions.topicIds(member, metadata), currentTargets.getOrDefault(id, Assignment.EMPTY))));
        Map<Uuid, Integer> partitionCounts = new HashMap<>();
        metadata.values().forEach(topic -> partitionCounts.put(topic.topicId(), topic.partitionCount()));
        Map<String, Assignment> newTargets = preferredAssignor(members).assign(new AssignmentSpec(specs, partitionCounts));
        for (String memberId : members.keySet()) {
            Assignment newTarget = newTargets.getOrDefault(memberId, Assignment.EMPTY);
            if (!newTarget.equals(currentTargets.getOrDefault(memberId, Assignment.EMPTY))) {
                records.add(new ConsumerGroupRecord.TargetAssignmentMember(group.groupId(), memberId, newTarget));
            }
        }
        records.add(new ConsumerGroupRecord.TargetAssignmentEpoch(group.groupId(), groupEpoch));
        return newTargets;
    }

    /** The assignor most members ask for (ties: the configured order); the default if none asks. */
    private PartitionAssignor preferredAssignor(Map<String, ConsumerGroupMember> members) {
        return ConsumerGroupDescriber.preferredAssignor(members.values(), config);
    }

    private static Assignment ownedPartitions(List<ConsumerGroupHeartbeatRequestData.TopicPartitions> topicPartitions) {
        Assignment.Builder builder = Assignment.builder();
        for (ConsumerGroupHeartbeatRequestData.TopicPartitions topic : topicPartitions) {
            builder.addAll(topic.topicId(), topic.partitions());
        }
        return builder.build();
    }

    private static boolean isSubset(Assignment owned, Assignment assigned) {
        for (Map.Entry<Uuid, SortedSet<Integer>> entry : owned.partitions().entrySet()) {
            if (!assigned.partitions(entry.getKey()).containsAll(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static List<ConsumerGroupHeartbeatResponseData.TopicPartitions> responsePartitions(Assignment assignment) {
        List<ConsumerGroupHeartbeatResponseData.TopicPartitions> partitions = new ArrayList<>();
        assignment.partitions().forEach((topicId, topicPartitions) -> partitions.add(
            new ConsumerGroupHeartbeatResponseData.TopicPartitions()
                .setTopicId(topicId)
                .setPartitions(new ArrayList<>(topicPartitions))));
        return partitions;
    }

    private static List<String> regexOf(ConsumerGroupMember member) {
        return member.subscribedTopicRegex() == null ? List.of() : List.of(member.subscribedTopicRegex());
    }

    /** The keys with subscribers once one subscriber of each {@code removed} key goes and one of each {@code added} comes. */
    private static Set<String> swap(Map<String, Integer> counts, List<String> removed, List<String> added) {
        Set<String> keys = MemberRemoval.namesWithout(counts, removed);
        keys.addAll(added);
        return keys;
    }
}
