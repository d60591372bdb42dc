package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.message.DescribeGroupsResponseData;
import dev.borges.protocol.message.ListGroupsResponseData;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The KIP-848 consumer groups of one {@code __consumer_offsets} partition: the part of a group
 * coordinator shard that serves {@code group.protocol=consumer}.
 *
 * <h2>Writes return records; replay changes state</h2>
 * Operations ({@link #heartbeat}, {@link #expire}, {@link #deleteGroup}) read the groups and
 * return a {@link ConsumerGroupResult}: records, a response and timer changes. They change
 * nothing. The runtime appends the records to the partition, then feeds each to {@link #replay},
 * which is the only way state changes, whether the records were just written or are being read
 * back after a restart. {@link #timersAfterLoad} restarts the members' timeouts once a partition
 * has been replayed.
 *
 * <h2>Lifecycle and threading</h2>
 * Created empty when the broker becomes leader of the partition, filled by replaying it, dropped
 * when leadership moves. Not thread-safe: the shard runs operations, replays and timer expiries
 * for its partition one at a time on its own thread; an operation must see the records of the
 * previous one replayed. Time comes in as {@code nowMs}; it never reads a clock.
 *
 * <p>Group ids are shared with classic groups (and other group types) of the same shard: the
 * runtime answers for a group id that belongs to another type (Kafka: GROUP_ID_NOT_FOUND for a
 * heartbeat to a classic group) before calling in here.
 */
public final class ConsumerGroupManager {
    private final ConsumerGroupConfig config;
    private final Supplier<String> memberIds;
    private final TopicSubscriptions subscriptions = new TopicSubscriptions();
    private final Map<String, ConsumerGroup> groups = new TreeMap<>();

    public ConsumerGroupManager(ConsumerGroupConfig config) {
        this(config, () -> Uuid.randomUuid().toString());
    }

    /** @param memberIds makes member ids for version 0 joins that bring none */
    public ConsumerGroupManager(ConsumerGroupConfig config, Supplier<String> memberIds) {
        this.config = Objects.requireNonNull(config);
        this.memberIds = Objects.requireNonNull(memberIds);
    }

    /** Applies one record: the only way the groups change. A group is created by its first record, removed by its metadata tombstone. */
    public void replay(ConsumerGroupRecord record) {
        ConsumerGroup group = groups.get(record.groupId());
        if (group == null) {
            if (record instanceof ConsumerGroupRecord.Tombstone) {
                return;
            }
            group = new ConsumerGroup(record.groupId());
            groups.put(record.groupId(), group);
        }
        group.replay(record);
        if (group.isDead()) {
            groups.remove(record.groupId());
        }
    }

    /** The group with this id, or null. */
    public ConsumerGroup group(String groupId) {
        return groups.get(groupId);
    }

    /** Every group, in group id order. Unmodifiable view. */
    public Collection<ConsumerGroup> groups() {
        return Collections.unmodifiableCollection(groups.values());
    }

    /**
     * A ConsumerGroupHeartbeat: join (epoch 0), heartbeat, leave (-1) or static leave (-2). Errors
     * come back as the response's error code and message, with no records.
     *
     * @param apiVersion the request's version (from version 1 the client brings its member id)
     */
    public ConsumerGroupResult<ConsumerGroupHeartbeatResponseData> heartbeat(
            ConsumerGroupHeartbeatRequestData request, short apiVersion, ClientInfo client, long nowMs, TopicsView topics) {
        try {
            HeartbeatValidation.validate(request, apiVersion, config.assignors());
            int epoch = request.memberEpoch();
            if (epoch == HeartbeatValidation.LEAVE_EPOCH || epoch == ConsumerGroupMember.STATIC_LEFT_EPOCH) {
                return leave(request, topics);
            }
            ConsumerGroup group = groups.get(request.groupId());
            if (group == null) {
                if (epoch != 0) {
                    throw notFound(request.groupId());
                }
                group = new ConsumerGroup(request.groupId());
            }
            String memberId = request.memberId().isEmpty() ? memberIds.get() : request.memberId();
            return new HeartbeatOperation(group, config, subscriptions, topics, nowMs).run(request, memberId, client);
        } catch (GroupOperationException e) {
            return ConsumerGroupResult.of(new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(e.error.code)
                .setErrorMessage(e.getMessage()));
        }
    }

    /**
     * The error response a ConsumerGroupHeartbeat gets before any group is looked at (missing or
     * malformed fields, an unknown assignor, an invalid regex), or empty if it is well formed. The
     * coordinator asks this first, so a malformed request is refused as such even when its group
     * id belongs to another group type.
     */
    public Optional<ConsumerGroupHeartbeatResponseData> invalid(ConsumerGroupHeartbeatRequestData request, short apiVersion) {
        try {
            HeartbeatValidation.validate(request, apiVersion, config.assignors());
            return Optional.empty();
        } catch (GroupOperationException e) {
            return Optional.of(new ConsumerGroupHeartbeatResponseData()
                .setErrorCode(e.error.code)
                .setErrorMessage(e.getMessage()));
        }
    }

    /**
     * A member leaves: for good (epoch -1), or a static member for now (-2), keeping its
     * partitions for the instance that rejoins under its instance id within the session timeout.
     */
    private ConsumerGroupResult<ConsumerGroupHeartbeatResponseData> leave(
            ConsumerGroupHeartbeatRequestData request, TopicsView topics) {
        ConsumerGroup group = groups.get(request.groupId());
        if (group == null) {
            throw notFound(request.groupId());
        }
        ConsumerGroupHeartbeatResponseData response = new ConsumerGroupHeartbeatResponseData()
            .setMemberId(request.memberId())
            .setMemberEpoch(request.memberEpoch());
        ConsumerGroupMember member;
        if (request.instanceId() == null) {
            member = group.member(request.memberId());
            if (member == null) {
                throw new GroupOperationException(Errors.UNKNOWN_MEMBER_ID, "Member " + request.memberId()
                    + " is not a member of group " + group.groupId() + ".");
            }
        } else {
            member = group.staticMember(request.instanceId());
            if (member == null) {
                throw new GroupOperationException(Errors.UNKNOWN_MEMBER_ID, "Instance id " + request.instanceId()
                    + " is unknown.");
            }
            if (!member.memberId().equals(request.memberId())) {
                throw new GroupOperationException(Errors.FENCED_INSTANCE_ID, "Static member " + request.memberId()
                    + " with instance id " + request.instanceId() + " was fenced by member " + member.memberId() + ".");
            }
            if (request.memberEpoch() == ConsumerGroupMember.STATIC_LEFT_EPOCH) {
                // Its partitions stay reserved (owned at epoch -2) until it rejoins or its session expires.
                ConsumerGroupMember away = member.withAssignment(ConsumerGroupMember.STATIC_LEFT_EPOCH, member.state(),
                    member.assigned(), Assignment.EMPTY);
                return new ConsumerGroupResult<>(List.of(away.currentAssignmentRecord(group.groupId())), response,
                    List.of());
            }
        }
        List<ConsumerGroupRecord> records = new ArrayList<>();
        List<TimerChange> timers = new ArrayList<>();
        MemberRemoval.remove(group, member, subscriptions, topics, records, timers);
        return new ConsumerGroupResult<>(records, response, timers);
    }

    /**
     * A timeout the runtime scheduled has passed. The member is removed if it is still there
     * (session), or still holding partitions it had to give back at that epoch (rebalance);
     * otherwise nothing happens.
     */
    public ConsumerGroupResult<Void> expire(ConsumerGroupTimeout timeout, long nowMs, TopicsView topics) {
        ConsumerGroup group = groups.get(timeout.groupId());
        ConsumerGroupMember member = group == null ? null : group.member(timeout.memberId());
        if (member == null) {
            return ConsumerGroupResult.of(null);
        }
        if (timeout instanceof ConsumerGroupTimeout.Rebalance rebalance
                && (member.state() != MemberState.UNREVOKED_PARTITIONS || member.memberEpoch() != rebalance.memberEpoch())) {
            return ConsumerGroupResult.of(null);
        }
        List<ConsumerGroupRecord> records = new ArrayList<>();
        List<TimerChange> timers = new ArrayList<>();
        MemberRemoval.remove(group, member, subscriptions, topics, records, timers);
        return new ConsumerGroupResult<>(records, null, timers);
    }

    /**
     * Deletes an empty group (DeleteGroups, or the expiry of an empty group's last offsets): the
     * tombstones of its assignment epoch, subscription metadata and group epoch. The caller adds
     * the tombstones of the group's offsets.
     *
     * @return NONE with the tombstones, GROUP_ID_NOT_FOUND, or NON_EMPTY_GROUP
     */
    public ConsumerGroupResult<Errors> deleteGroup(String groupId) {
        ConsumerGroup group = groups.get(groupId);
        if (group == null) {
            return ConsumerGroupResult.of(Errors.GROUP_ID_NOT_FOUND);
        }
        if (!group.members().isEmpty()) {
            return ConsumerGroupResult.of(Errors.NON_EMPTY_GROUP);
        }
        List<ConsumerGroupRecord> records = new ArrayList<>();
        group.targetAssignments().keySet().forEach(memberId -> records.add(ConsumerGroupRecord.Tombstone.ofMember(
            ConsumerGroupRecord.RecordType.TARGET_ASSIGNMENT_MEMBER, groupId, memberId)));
        records.add(ConsumerGroupRecord.Tombstone.ofGroup(ConsumerGroupRecord.RecordType.TARGET_ASSIGNMENT_METADATA, groupId));
        records.add(ConsumerGroupRecord.Tombstone.ofGroup(ConsumerGroupRecord.RecordType.PARTITION_METADATA, groupId));
        records.add(ConsumerGroupRecord.Tombstone.ofGroup(ConsumerGroupRecord.RecordType.GROUP_METADATA, groupId));
        return new ConsumerGroupResult<>(records, Errors.NONE, List.of());
    }

    /**
     * The timeouts to start once the partition has been replayed (after a restart or a leader
     * change): a fresh session timeout for every member, and a rebalance timeout for members that
     * still have partitions to give back.
     */
    public List<TimerChange> timersAfterLoad(long nowMs) {
        List<TimerChange> timers = new ArrayList<>();
        for (ConsumerGroup group : groups.values()) {
            for (ConsumerGroupMember member : group.members().values()) {
                timers.add(new TimerChange.Schedule(new ConsumerGroupTimeout.Session(group.groupId(), member.memberId()),
                    nowMs + config.sessionTimeoutMs()));
                if (member.state() == MemberState.UNREVOKED_PARTITIONS) {
                    timers.add(new TimerChange.Schedule(new ConsumerGroupTimeout.Rebalance(group.groupId(),
                        member.memberId(), member.memberEpoch()), nowMs + member.rebalanceTimeoutMs()));
                }
            }
        }
        return timers;
    }

    /** ConsumerGroupDescribe entries for these group ids, in order; unknown ids get GROUP_ID_NOT_FOUND. */
    public List<ConsumerGroupDescribeResponseData.DescribedGroup> describe(List<String> groupIds, TopicsView topics) {
        List<ConsumerGroupDescribeResponseData.DescribedGroup> described = new ArrayList<>();
        for (String groupId : groupIds) {
            ConsumerGroup group = groups.get(groupId);
            described.add(group == null
                ? ConsumerGroupDescriber.notFound(groupId)
                : ConsumerGroupDescriber.describe(group, config, topics));
        }
        return described;
    }

    /**
     * ListGroups entries of the groups in the given states and of the given types (both matched
     * case-insensitively, as Kafka does; an empty filter matches all).
     */
    public List<ListGroupsResponseData.ListedGroup> listGroups(Set<String> statesFilter, Set<String> typesFilter) {
        Set<String> states = lowerCase(statesFilter);
        Set<String> types = lowerCase(typesFilter);
        if (!types.isEmpty() && !types.contains(ConsumerGroupDescriber.CONSUMER)) {
            return List.of();
        }
        List<ListGroupsResponseData.ListedGroup> listed = new ArrayList<>();
        for (ConsumerGroup group : groups.values()) {
            if (states.isEmpty() || states.contains(group.state().toString().toLowerCase(Locale.ROOT))) {
                listed.add(ConsumerGroupDescriber.listed(group));
            }
        }
        return listed;
    }

    /** The DescribeGroups (classic API) entry for the group, if it is a consumer group here. */
    public Optional<DescribeGroupsResponseData.DescribedGroup> describeAsClassic(String groupId) {
        return Optional.ofNullable(groups.get(groupId)).map(ConsumerGroupDescriber::describedAsClassic);
    }

    private static Set<String> lowerCase(Set<String> values) {
        return values.stream().map(value -> value.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }

    private static GroupOperationException notFound(String groupId) {
        return new GroupOperationException(Errors.GROUP_ID_NOT_FOUND, "Consumer group " + groupId + " not found.");
    }
}
