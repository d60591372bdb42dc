package dev.borges.broker.group;

import dev.borges.broker.group.classic.ClassicGroup;
import dev.borges.broker.group.classic.ClassicGroupManager;
import dev.borges.broker.group.classic.ClassicGroupMember;
import dev.borges.broker.group.classic.ClassicGroupState;
import dev.borges.broker.group.consumer.ConsumerGroup;
import dev.borges.broker.group.consumer.TopicsView;
import dev.borges.broker.group.offsets.OffsetManager;
import dev.borges.broker.group.offsets.OffsetStore;
import dev.borges.broker.group.record.CoordinatorRecordType;
import dev.borges.broker.group.record.GroupMetadataKey;
import dev.borges.broker.group.record.GroupMetadataValue;
import dev.borges.broker.group.record.MalformedRecordException;
import dev.borges.broker.group.record.OffsetCommitKey;
import dev.borges.broker.group.record.OffsetCommitValue;
import dev.borges.broker.coordinator.CoordinatorException;
import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.broker.coordinator.CoordinatorShard;
import dev.borges.broker.coordinator.CoordinatorTimer;
import dev.borges.protocol.Errors;
import dev.borges.protocol.MalformedMessageException;
import dev.borges.protocol.message.DeleteGroupsResponseData;
import dev.borges.protocol.message.DescribeGroupsResponseData;
import dev.borges.protocol.message.JoinGroupRequestData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.ListGroupsResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator's state for one partition of {@code __consumer_offsets}: the groups whose
 * id hashes to it, of every type, and their committed offsets. It is rebuilt by {@link #replay}ing
 * the partition and changed only that way; its operations return records
 * (see {@link dev.borges.broker.coordinator.CoordinatorRuntime}).
 *
 * <pre>
 *   GroupCoordinatorShard
 *     groups ─────────── groupId → Group (ClassicGroup or ConsumerGroup; one group per id)
 *     ClassicGroupManager  JoinGroup, SyncGroup, Heartbeat, LeaveGroup; GroupMetadata records (type 2)
 *     ConsumerGroupHost    ConsumerGroupHeartbeat, ConsumerGroupDescribe; KIP-848 records (types 3..8)
 *     OffsetManager        OffsetCommit, TxnOffsetCommit, OffsetFetch, OffsetDelete, expiry; OffsetCommit records (types 0, 1)
 * </pre>
 *
 * Offset commits of a transactional batch (TxnOffsetCommit) are replayed as pending for their
 * producer, and its COMMIT or ABORT marker commits or drops them ({@link OffsetStore}).
 *
 * Listing, describing, deleting and offset handling go through {@link Group}, whatever the type.
 *
 * <p>Threading: the shard's thread of the runtime, only.
 */
public final class GroupCoordinatorShard implements CoordinatorShard {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorShard.class);
    private static final String EXPIRE_OFFSETS_TIMER = "expire-offsets";
    /** The producer id of records outside any transaction. */
    private static final long NO_TRANSACTION = -1L;

    private final int partition;
    private final GroupConfig config;
    private final CoordinatorTimer timer;
    private final Map<String, Group> groups = new HashMap<>();
    private final OffsetStore offsetStore = new OffsetStore();
    private final ClassicGroupManager classic;
    private final ConsumerGroupHost consumer;
    private final OffsetManager offsets;

    /** A shard that sees no topics (consumer groups subscribe to nothing that exists): for tests of other group types. */
    public GroupCoordinatorShard(int partition, GroupConfig config, CoordinatorTimer timer) {
        this(partition, config, timer, () -> TopicsView.of(0, List.of()));
    }

    /**
     * @param topics the cluster's topics now, for consumer group assignments ({@link MetadataTopicsViews})
     */
    public GroupCoordinatorShard(int partition, GroupConfig config, CoordinatorTimer timer, Supplier<TopicsView> topics) {
        this.partition = partition;
        this.config = config;
        this.timer = timer;
        this.classic = new ClassicGroupManager(config, timer, groups);
        this.consumer = new ConsumerGroupHost(partition, config.consumer(), timer, groups, topics, classic);
        this.offsets = new OffsetManager(config, offsetStore, groups);
    }

    public ClassicGroupManager classicGroups() {
        return classic;
    }

    public ConsumerGroupHost consumerGroups() {
        return consumer;
    }

    public OffsetManager offsets() {
        return offsets;
    }

    /** The group, of any type, or null. */
    public Group group(String groupId) {
        return groups.get(groupId);
    }

    /** Every group of this shard. Read-only view. */
    public Collection<Group> groups() {
        return java.util.Collections.unmodifiableCollection(groups.values());
    }

    OffsetStore offsetStore() {
        return offsetStore;
    }

    // ---- replay --------------------------------------------------------------------------------

    @Override
    public void replay(CoordinatorRecord record) {
        replay(record, NO_TRANSACTION);
    }

    /** An offset commit of a TxnOffsetCommit: pending for {@code producerId} until its marker. Other types apply at once. */
    @Override
    public void replayTransactional(long producerId, short producerEpoch, CoordinatorRecord record) {
        replay(record, producerId);
    }

    /** The transaction of {@code producerId} ended: its pending offsets are committed or dropped. */
    @Override
    public void replayEndTransaction(long producerId, short producerEpoch, boolean commit) {
        offsetStore.replayEndTransaction(producerId, commit);
    }

    private void replay(CoordinatorRecord record, long producerId) {
        CoordinatorRecordType type;
        try {
            type = CoordinatorRecordType.ofKey(record.key());
        } catch (MalformedRecordException e) {
            LOG.warn("__consumer_offsets-{}: skipping a record with a malformed key: {}", partition, e.getMessage());
            return;
        }
        if (type == null) {
            LOG.warn("__consumer_offsets-{}: skipping a record of an unknown type", partition);
            return;
        }
        try {
            switch (type) {
                case LEGACY_OFFSET_COMMIT, OFFSET_COMMIT -> replayOffset(record, producerId);
                case GROUP_METADATA -> classic.replay(GroupMetadataKey.fromBytes(record.key()).group(),
                    record.isTombstone() ? null : GroupMetadataValue.fromBytes(record.value()));
                default -> consumer.replay(record); // types 3..8
            }
        } catch (MalformedRecordException | MalformedMessageException e) {
            LOG.warn("__consumer_offsets-{}: skipping a malformed {} record: {}", partition, type, e.getMessage());
        }
    }

    private void replayOffset(CoordinatorRecord record, long producerId) {
        OffsetCommitKey key = OffsetCommitKey.fromBytes(record.key());
        OffsetCommitValue value = record.isTombstone() ? null : OffsetCommitValue.fromBytes(record.value());
        if (producerId == NO_TRANSACTION) {
            offsetStore.replay(key.group(), key.topic(), key.partition(), value);
        } else {
            offsetStore.replayPending(producerId, key.group(), key.topic(), key.partition(), value);
        }
        if (value != null && !groups.containsKey(key.group())) {
            // Offsets committed from outside group management: the group exists to hold them.
            groups.put(key.group(), new ClassicGroup(key.group(), value.commitTimestampMs()));
        }
    }

    @Override
    public void onLoaded(long nowMs) {
        classic.onLoaded(nowMs);
        consumer.onLoaded(nowMs);
        scheduleOffsetExpiry();
    }

    @Override
    public void onUnloaded() {
        classic.onUnloaded();
    }

    // ---- groups of any type --------------------------------------------------------------------

    /**
     * JoinGroup (see {@link ClassicGroupManager#joinGroup}). An empty consumer group with this id
     * becomes a classic group first, as in Kafka: its tombstones go before the join's records.
     */
    public CoordinatorResult<Void> joinGroup(ClientContext client, JoinGroupRequestData request,
                                             CompletableFuture<JoinGroupResponseData> response, long nowMs) {
        List<CoordinatorRecord> conversion = request.groupId() == null ? List.of()
            : consumer.releaseEmptyGroupForClassicJoin(request.groupId());
        CoordinatorResult<Void> joined = classic.joinGroup(client, request, response, nowMs);
        return conversion.isEmpty() ? joined : joined.withRecordsBefore(conversion);
    }

    /** DescribeGroups for one group: null when there is no such group. */
    public DescribeGroupsResponseData.DescribedGroup describeGroup(String groupId) {
        Group group = groups.get(groupId);
        if (!(group instanceof ClassicGroup classicGroup)) {
            return group == null ? null : new DescribeGroupsResponseData.DescribedGroup()
                .setGroupId(groupId)
                .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code)
                .setErrorMessage("Group " + groupId + " is not a classic group.")
                .setGroupState("Dead");
        }
        boolean stable = classicGroup.isInState(ClassicGroupState.STABLE);
        DescribeGroupsResponseData.DescribedGroup described = new DescribeGroupsResponseData.DescribedGroup()
            .setGroupId(groupId)
            .setErrorCode(Errors.NONE.code)
            .setGroupState(classicGroup.stateName())
            .setProtocolType(classicGroup.protocolType())
            .setProtocolData(stable ? classicGroup.protocolName() : "");
        for (ClassicGroupMember member : classicGroup.members()) {
            described.members().add(new DescribeGroupsResponseData.DescribedGroupMember()
                .setMemberId(member.memberId())
                .setGroupInstanceId(member.groupInstanceId())
                .setClientId(member.clientId())
                .setClientHost(member.clientHost())
                .setMemberMetadata(stable ? member.metadata(classicGroup.protocolName()).orElse(new byte[0]) : new byte[0])
                .setMemberAssignment(stable ? member.assignment() : new byte[0]));
        }
        return described;
    }

    /**
     * ListGroups: the groups in any of {@code states} (all if empty; names compared
     * case-insensitively) and of any of {@code types} (all if empty).
     */
    public List<ListGroupsResponseData.ListedGroup> listGroups(Collection<String> states, Collection<GroupType> types) {
        Set<String> wantedStates = states.stream().map(s -> s.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        List<ListGroupsResponseData.ListedGroup> listed = new ArrayList<>();
        for (Group group : groups.values()) {
            if ((wantedStates.isEmpty() || wantedStates.contains(group.stateName().toLowerCase(Locale.ROOT)))
                && (types.isEmpty() || types.contains(group.type()))) {
                listed.add(new ListGroupsResponseData.ListedGroup()
                    .setGroupId(group.groupId())
                    .setProtocolType(group.protocolType())
                    .setGroupState(group.stateName())
                    .setGroupType(group.type().label()));
            }
        }
        return listed;
    }

    /** DeleteGroups: empty groups go with their offsets; others answer NON_EMPTY_GROUP or GROUP_ID_NOT_FOUND. */
    public CoordinatorResult<List<DeleteGroupsResponseData.DeletableGroupResult>> deleteGroups(List<String> groupIds) {
        List<CoordinatorRecord> records = new ArrayList<>();
        List<DeleteGroupsResponseData.DeletableGroupResult> results = new ArrayList<>();
        for (String groupId : groupIds) {
            Errors error = Errors.NONE;
            Group group = groups.get(groupId);
            try {
                if (group == null) {
                    throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "No group " + groupId);
                }
                group.validateDelete();
                offsets.deleteAllOffsets(groupId, records);
                records.addAll(deletionRecords(group));
            } catch (CoordinatorException e) {
                error = e.error();
            }
            results.add(new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(groupId).setErrorCode(error.code));
        }
        return CoordinatorResult.of(records, results);
    }

    private List<CoordinatorRecord> deletionRecords(Group group) {
        if (group instanceof ClassicGroup classicGroup) {
            return classic.deletionRecords(classicGroup);
        }
        if (group instanceof ConsumerGroup consumerGroup) {
            return consumer.deletionRecords(consumerGroup);
        }
        throw new CoordinatorException(Errors.GROUP_ID_NOT_FOUND, "Cannot delete " + group.type().label() + " group "
            + group.groupId() + " on this broker");
    }

    /**
     * The periodic clean-up: offsets past their retention go, and so do empty groups left with no
     * offsets.
     */
    public CoordinatorResult<Void> expireOffsets(long nowMs) {
        List<CoordinatorRecord> records = new ArrayList<>();
        int expiredGroups = 0;
        for (Group group : List.copyOf(groups.values())) {
            int before = records.size();
            boolean noOffsetsLeft = offsets.expireOffsets(group, nowMs, records);
            if (noOffsetsLeft && group.isEmpty() && isDeletable(group)) {
                records.addAll(deletionRecords(group));
                expiredGroups++;
            }
            if (records.size() > before) {
                LOG.info("__consumer_offsets-{}: group {}: {} expired offsets{}", partition, group.groupId(),
                    records.size() - before, noOffsetsLeft && group.isEmpty() ? ", group removed" : "");
            }
        }
        if (expiredGroups > 0) {
            LOG.debug("__consumer_offsets-{}: removed {} empty groups", partition, expiredGroups);
        }
        return CoordinatorResult.of(records, null);
    }

    private static boolean isDeletable(Group group) {
        try {
            group.validateDelete();
            return true;
        } catch (CoordinatorException e) {
            return false;
        }
    }

    private void scheduleOffsetExpiry() {
        timer.schedule(EXPIRE_OFFSETS_TIMER, config.offsetsRetentionCheckIntervalMs(), now -> {
            scheduleOffsetExpiry();
            return expireOffsets(now);
        });
    }
}
