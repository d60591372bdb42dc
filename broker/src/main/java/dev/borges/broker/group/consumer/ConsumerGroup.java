package dev.borges.broker.group.consumer;

import dev.borges.broker.group.CommitPartitionValidator;
import dev.borges.broker.group.Group;
import dev.borges.broker.group.GroupType;
import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.broker.coordinator.CoordinatorException;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The state of one KIP-848 consumer group: its epochs, members, target assignment and the
 * metadata of its subscribed topics. It changes only through {@link #replay}, record by record,
 * so the state after a restart (replaying {@code __consumer_offsets}) is the state before it.
 * Operations read it and describe changes as records ({@link ConsumerGroupManager}).
 *
 * <p>Besides what the records say, the group keeps indexes derived from them: the owner and
 * epoch of every partition a member owns (assigned or pending revocation), the member of each
 * static instance id, and how many members subscribe to each topic name and regex. They are
 * updated by the same replay, never on their own.
 *
 * <p>As a {@link Group} it sits in the coordinator shard's map of groups next to classic groups,
 * so listing, committed offsets (member and assignment epoch checks), offset expiry and deletion
 * treat it like any group.
 *
 * <p>Not thread-safe: owned by the coordinator shard of the group's {@code __consumer_offsets}
 * partition, which runs every operation and replay on one thread.
 */
public final class ConsumerGroup implements Group {
    private final String groupId;
    private int groupEpoch;
    private int assignmentEpoch;
    private Map<String, ConsumerGroupRecord.TopicMetadata> subscriptionMetadata = Map.of();
    private final Map<String, ConsumerGroupMember> members = new TreeMap<>();
    private final Map<String, Assignment> targetAssignment = new HashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    private final Map<TopicPartition, PartitionOwner> owners = new HashMap<>();
    private final Map<String, Integer> topicNameSubscribers = new HashMap<>();
    private final Map<String, Integer> regexSubscribers = new HashMap<>();
    private ConsumerGroupState state = ConsumerGroupState.EMPTY;

    /** A member owning a partition, and the member epoch it owns it at. */
    public record PartitionOwner(String memberId, int memberEpoch) {
    }

    ConsumerGroup(String groupId) {
        this.groupId = Objects.requireNonNull(groupId);
    }

    public String groupId() {
        return groupId;
    }

    /** Bumped whenever membership, subscriptions or subscribed topics change; 0 for a group no record created yet. */
    public int groupEpoch() {
        return groupEpoch;
    }

    /** The group epoch the target assignment was computed for. */
    public int assignmentEpoch() {
        return assignmentEpoch;
    }

    public ConsumerGroupState state() {
        return state;
    }

    /** Members by member id, in id order. Unmodifiable view. */
    public Map<String, ConsumerGroupMember> members() {
        return Collections.unmodifiableMap(members);
    }

    public ConsumerGroupMember member(String memberId) {
        return members.get(memberId);
    }

    /** The static member with this {@code group.instance.id}, or null. */
    public ConsumerGroupMember staticMember(String instanceId) {
        String memberId = staticMembers.get(instanceId);
        return memberId == null ? null : members.get(memberId);
    }

    /** The target assignment of a member, empty if it has none. */
    public Assignment targetAssignment(String memberId) {
        return targetAssignment.getOrDefault(memberId, Assignment.EMPTY);
    }

    /** Target assignments by member id. Unmodifiable view. */
    public Map<String, Assignment> targetAssignments() {
        return Collections.unmodifiableMap(targetAssignment);
    }

    /** The subscribed topics that existed at the group epoch, by name. */
    public Map<String, ConsumerGroupRecord.TopicMetadata> subscriptionMetadata() {
        return subscriptionMetadata;
    }

    /** Who owns this partition (assigned or pending revocation), or null if it is free. */
    public PartitionOwner owner(Uuid topicId, int partition) {
        return owners.get(new TopicPartition(topicId, partition));
    }

    /** How many members subscribe to each topic name. Unmodifiable view. */
    public Map<String, Integer> topicNameSubscribers() {
        return Collections.unmodifiableMap(topicNameSubscribers);
    }

    /** How many members subscribe with each regex. Unmodifiable view. */
    public Map<String, Integer> regexSubscribers() {
        return Collections.unmodifiableMap(regexSubscribers);
    }

    /** True if some member subscribes to this topic, by name or regex (OffsetDelete must refuse it). */
    public boolean isSubscribedTo(String topicName) {
        if (topicNameSubscribers.containsKey(topicName)) {
            return true;
        }
        return regexSubscribers.keySet().stream().anyMatch(regex -> TopicSubscriptions.matches(regex, topicName));
    }

    /**
     * Checks the committer of an OffsetCommit (or TxnOffsetCommit) against the group, as Kafka
     * does for consumer groups: a commit without a member (epoch &lt; 0) is only allowed while the
     * group is empty (tools resetting offsets); otherwise the member must exist and send an epoch
     * no newer than its current one. An older epoch is then checked partition by partition
     * ({@link #offsetCommitError(String, int, boolean, Uuid, int)}).
     *
     * @return NONE, UNKNOWN_MEMBER_ID, or STALE_MEMBER_EPOCH (ILLEGAL_GENERATION for a
     *         transactional commit)
     */
    public Errors offsetCommitError(String memberId, int memberEpoch, boolean transactional) {
        if (memberEpoch < 0 && members.isEmpty()) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        if (memberEpoch > member.memberEpoch()) {
            return staleEpoch(transactional);
        }
        return Errors.NONE;
    }

    /**
     * Checks the commit of one partition (KIP-1251): with the member's current epoch any partition
     * may be committed; with an older one only a partition the member owns and was assigned at that
     * epoch or before, so that a commit sent just before an epoch bump the member has not yet heard
     * of still counts, and one for a partition that has since moved does not.
     *
     * @return NONE, or the error of {@link #offsetCommitError(String, int, boolean)}, or
     *         STALE_MEMBER_EPOCH (ILLEGAL_GENERATION if transactional) for this partition
     */
    public Errors offsetCommitError(String memberId, int memberEpoch, boolean transactional, Uuid topicId, int partition) {
        Errors error = offsetCommitError(memberId, memberEpoch, transactional);
        if (error != Errors.NONE || memberEpoch < 0 && members.isEmpty()) {
            return error;
        }
        return members.get(memberId).mayCommitWith(memberEpoch, topicId, partition) ? Errors.NONE : staleEpoch(transactional);
    }

    private static Errors staleEpoch(boolean transactional) {
        return transactional ? Errors.ILLEGAL_GENERATION : Errors.STALE_MEMBER_EPOCH;
    }

    /**
     * Checks an OffsetFetch that names a member (KIP-848 consumers send their member id and epoch
     * so they never read offsets of partitions they no longer own); one without a member is fine.
     *
     * @return NONE, UNKNOWN_MEMBER_ID or STALE_MEMBER_EPOCH
     */
    public Errors offsetFetchError(String memberId, int memberEpoch) {
        if (memberId == null && memberEpoch < 0) {
            return Errors.NONE;
        }
        ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
        if (member == null) {
            return Errors.UNKNOWN_MEMBER_ID;
        }
        return memberEpoch == member.memberEpoch() ? Errors.NONE : Errors.STALE_MEMBER_EPOCH;
    }

    // ---- Group ---------------------------------------------------------------------------------

    @Override
    public GroupType type() {
        return GroupType.CONSUMER;
    }

    @Override
    public String stateName() {
        return state.toString();
    }

    @Override
    public String protocolType() {
        return ConsumerGroupDescriber.CONSUMER;
    }

    @Override
    public boolean isEmpty() {
        return members.isEmpty();
    }

    /**
     * {@link #offsetCommitError}; a member still on the classic OffsetCommit versions (before 9) is
     * refused, as Kafka does. A member committing with an older epoch than its current one gets a
     * validator that checks each partition's assignment epoch.
     */
    @Override
    public CommitPartitionValidator validateOffsetCommit(String memberId, String groupInstanceId, int memberEpoch,
                                                         short apiVersion) {
        Errors error = offsetCommitError(memberId, memberEpoch, false);
        if (error != Errors.UNKNOWN_MEMBER_ID && memberId != null && members.containsKey(memberId) && apiVersion < 9) {
            throw new CoordinatorException(Errors.UNSUPPORTED_VERSION,
                "OffsetCommit version 9 or above must be used by members using the consumer group protocol");
        }
        throwIf(error, memberId, memberEpoch);
        return partitionValidator(memberId, memberEpoch, false);
    }

    /** Checks each partition's assignment epoch, unless the commit has the member's current epoch or names no member. */
    private CommitPartitionValidator partitionValidator(String memberId, int memberEpoch, boolean transactional) {
        ConsumerGroupMember member = memberId == null ? null : members.get(memberId);
        if (member == null || member.memberEpoch() == memberEpoch) {
            return CommitPartitionValidator.NO_OP;
        }
        return (topicId, partition) -> offsetCommitError(memberId, memberEpoch, transactional, topicId, partition);
    }

    /**
     * {@link #offsetCommitError} of a transactional commit: any API version, checked per partition
     * as an OffsetCommit is, but a stale epoch is {@code ILLEGAL_GENERATION}.
     */
    @Override
    public CommitPartitionValidator validateTransactionalOffsetCommit(String memberId, String groupInstanceId, int memberEpoch) {
        throwIf(offsetCommitError(memberId, memberEpoch, true), memberId, memberEpoch);
        return partitionValidator(memberId, memberEpoch, true);
    }

    @Override
    public void validateOffsetFetch(String memberId, int memberEpoch) {
        throwIf(offsetFetchError(memberId, memberEpoch), memberId, memberEpoch);
    }

    private void throwIf(Errors error, String memberId, int memberEpoch) {
        if (error == Errors.UNKNOWN_MEMBER_ID) {
            throw new CoordinatorException(error, "Member " + memberId + " is not a member of group " + groupId + ".");
        }
        if (error != Errors.NONE) {
            ConsumerGroupMember member = members.get(memberId);
            throw new CoordinatorException(error, "The received member epoch " + memberEpoch
                + " does not match the expected member epoch " + (member == null ? -1 : member.memberEpoch()) + ".");
        }
    }

    /** Offsets can be deleted for the topics no member subscribes to (the caller checks each topic). */
    @Override
    public void validateOffsetDelete() {
    }

    @Override
    public boolean isSubscribedToTopic(String topic) {
        return isSubscribedTo(topic);
    }

    /**
     * As in Kafka, an offset's retention counts from its commit, whatever the group's state; offsets
     * of topics a member subscribes to never expire. Once the last member is gone and every offset
     * has expired, the group is deleted.
     */
    @Override
    public Optional<LongUnaryOperator> offsetRetentionBase() {
        return Optional.of(commitTimestampMs -> commitTimestampMs);
    }

    @Override
    public void validateDelete() {
        if (!members.isEmpty()) {
            throw new CoordinatorException(Errors.NON_EMPTY_GROUP, "Group " + groupId + " has members");
        }
    }

    // ---- replay --------------------------------------------------------------------------------

    /** Applies one record of this group. Records of other groups are a caller bug. */
    void replay(ConsumerGroupRecord record) {
        if (!record.groupId().equals(groupId)) {
            throw new IllegalArgumentException("Record of group " + record.groupId() + " replayed on " + groupId);
        }
        if (record instanceof ConsumerGroupRecord.GroupEpoch epoch) {
            groupEpoch = epoch.epoch();
        } else if (record instanceof ConsumerGroupRecord.SubscriptionMetadata metadata) {
            subscriptionMetadata = metadata.topics();
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentEpoch epoch) {
            assignmentEpoch = epoch.assignmentEpoch();
        } else if (record instanceof ConsumerGroupRecord.TargetAssignmentMember target) {
            if (target.assignment().isEmpty()) {
                targetAssignment.remove(target.memberId());
            } else {
                targetAssignment.put(target.memberId(), target.assignment());
            }
        } else if (record instanceof ConsumerGroupRecord.MemberSubscription subscription) {
            ConsumerGroupMember old = members.get(subscription.memberId());
            ConsumerGroupMember base = old != null ? old : ConsumerGroupMember.joining(subscription.memberId());
            putMember(old, base.withSubscription(subscription));
        } else if (record instanceof ConsumerGroupRecord.CurrentAssignment current) {
            ConsumerGroupMember old = members.get(current.memberId());
            ConsumerGroupMember base = old != null ? old : ConsumerGroupMember.joining(current.memberId());
            putMember(old, base.withCurrentAssignment(current));
        } else if (record instanceof ConsumerGroupRecord.Tombstone tombstone) {
            replayTombstone(tombstone);
        }
        state = computeState();
    }

    private void replayTombstone(ConsumerGroupRecord.Tombstone tombstone) {
        switch (tombstone.type()) {
            case GROUP_METADATA -> {
                groupEpoch = 0;
                state = ConsumerGroupState.DEAD;
            }
            case PARTITION_METADATA -> subscriptionMetadata = Map.of();
            case TARGET_ASSIGNMENT_METADATA -> assignmentEpoch = 0;
            case TARGET_ASSIGNMENT_MEMBER -> targetAssignment.remove(tombstone.memberId());
            case CURRENT_MEMBER_ASSIGNMENT -> {
                ConsumerGroupMember old = members.get(tombstone.memberId());
                if (old != null) {
                    // The member is leaving: it owns nothing any more, its subscription goes next.
                    putMember(old, old.withCurrentAssignment(new ConsumerGroupRecord.CurrentAssignment(groupId,
                        old.memberId(), -1, -1, MemberState.STABLE, Assignment.EMPTY, Assignment.EMPTY)));
                }
            }
            case MEMBER_METADATA -> {
                ConsumerGroupMember old = members.get(tombstone.memberId());
                if (old != null) {
                    unindex(old);
                    members.remove(old.memberId());
                }
            }
        }
    }

    /** True once the group's metadata tombstone is replayed: it no longer exists. */
    boolean isDead() {
        return state == ConsumerGroupState.DEAD;
    }

    private void putMember(ConsumerGroupMember old, ConsumerGroupMember updated) {
        if (old != null) {
            unindex(old);
        }
        members.put(updated.memberId(), updated);
        index(updated);
    }

    private void index(ConsumerGroupMember member) {
        if (member.instanceId() != null) {
            staticMembers.put(member.instanceId(), member.memberId());
        }
        member.subscribedTopicNames().forEach(name -> topicNameSubscribers.merge(name, 1, Integer::sum));
        if (member.subscribedTopicRegex() != null) {
            regexSubscribers.merge(member.subscribedTopicRegex(), 1, Integer::sum);
        }
        forEachOwned(member, partition -> owners.put(partition, new PartitionOwner(member.memberId(), member.memberEpoch())));
    }

    private void unindex(ConsumerGroupMember member) {
        if (member.instanceId() != null) {
            staticMembers.remove(member.instanceId(), member.memberId());
        }
        member.subscribedTopicNames().forEach(name -> decrement(topicNameSubscribers, name));
        if (member.subscribedTopicRegex() != null) {
            decrement(regexSubscribers, member.subscribedTopicRegex());
        }
        forEachOwned(member, partition -> {
            PartitionOwner owner = owners.get(partition);
            if (owner != null && owner.memberId().equals(member.memberId())) {
                owners.remove(partition);
            }
        });
    }

    private static void forEachOwned(ConsumerGroupMember member, java.util.function.Consumer<TopicPartition> action) {
        for (Assignment owned : new Assignment[] {member.assigned(), member.pendingRevocation()}) {
            for (Map.Entry<Uuid, SortedSet<Integer>> entry : owned.partitions().entrySet()) {
                for (Integer partition : entry.getValue()) {
                    action.accept(new TopicPartition(entry.getKey(), partition));
                }
            }
        }
    }

    private static void decrement(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, count) -> count == 1 ? null : count - 1);
    }

    private ConsumerGroupState computeState() {
        if (state == ConsumerGroupState.DEAD) {
            return ConsumerGroupState.DEAD;
        }
        if (members.isEmpty()) {
            return ConsumerGroupState.EMPTY;
        }
        if (groupEpoch > assignmentEpoch) {
            return ConsumerGroupState.ASSIGNING;
        }
        for (ConsumerGroupMember member : members.values()) {
            if (member.state() != MemberState.STABLE || member.memberEpoch() != assignmentEpoch) {
                return ConsumerGroupState.RECONCILING;
            }
        }
        return ConsumerGroupState.STABLE;
    }

    /**
     * What the records say, without the derived indexes: equal for two groups that replayed the
     * same records, which is what tests of "replay rebuilds the state" compare.
     */
    public Snapshot snapshot() {
        return new Snapshot(groupId, groupEpoch, assignmentEpoch, subscriptionMetadata, Map.copyOf(members),
            Map.copyOf(targetAssignment), state);
    }

    /** A value copy of a group's replayed state. */
    public record Snapshot(
            String groupId,
            int groupEpoch,
            int assignmentEpoch,
            Map<String, ConsumerGroupRecord.TopicMetadata> subscriptionMetadata,
            Map<String, ConsumerGroupMember> members,
            Map<String, Assignment> targetAssignment,
            ConsumerGroupState state) {
    }
}
