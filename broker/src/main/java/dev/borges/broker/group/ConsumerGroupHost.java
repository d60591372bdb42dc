package dev.borges.broker.group;

import dev.borges.broker.group.classic.ClassicGroup;
import dev.borges.broker.group.classic.ClassicGroupManager;
import dev.borges.broker.group.classic.ClassicGroupState;
import dev.borges.broker.group.consumer.ClientInfo;
import dev.borges.broker.group.consumer.ConsumerGroup;
import dev.borges.broker.group.consumer.ConsumerGroupConfig;
import dev.borges.broker.group.consumer.ConsumerGroupDescriber;
import dev.borges.broker.group.consumer.ConsumerGroupManager;
import dev.borges.broker.group.consumer.ConsumerGroupRecord;
import dev.borges.broker.group.consumer.ConsumerGroupRecordCodec;
import dev.borges.broker.group.consumer.ConsumerGroupResult;
import dev.borges.broker.group.consumer.ConsumerGroupTimeout;
import dev.borges.broker.group.consumer.TimerChange;
import dev.borges.broker.group.consumer.TopicsView;
import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.broker.coordinator.CoordinatorTimer;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The KIP-848 consumer groups of one coordinator shard: runs the pure consumer group model
 * ({@link ConsumerGroupManager}) the way the runtime runs the rest of the shard.
 *
 * <ul>
 *   <li><b>Records.</b> The model's records become {@code __consumer_offsets} records through
 *       {@link ConsumerGroupRecordCodec}, and the shard hands every record of types 3-8 back to
 *       {@link #replay}, at load and after each append alike.</li>
 *   <li><b>Timers.</b> The model's timer changes (session and rebalance timeouts) go to the shard's
 *       {@link CoordinatorTimer} once the records that asked for them are replayed; a timeout that
 *       fires runs {@link ConsumerGroupManager#expire} as a write. After a load, every member gets a
 *       fresh session timeout ({@link #onLoaded}).</li>
 *   <li><b>One group id, one group.</b> Consumer groups live in the shard's map of groups next to
 *       classic groups. Replay keeps that map in step with the model: a consumer group enters it
 *       with its first record (replacing an empty classic group, such as the one that only held
 *       offsets committed before the group first formed) and leaves it with its last tombstone.</li>
 *   <li><b>Conversions</b>, as Kafka does them for empty groups only: a ConsumerGroupHeartbeat join
 *       to an empty classic group deletes the classic group and creates the consumer group; a
 *       JoinGroup to an empty consumer group deletes the consumer group (the shard then creates the
 *       classic one). Committed offsets stay with the group id. A heartbeat to a classic group with
 *       members answers {@code GROUP_ID_NOT_FOUND}; a JoinGroup to a consumer group with members,
 *       {@code INCONSISTENT_GROUP_PROTOCOL} ({@link ClassicGroupManager}): Kafka's online upgrade and
 *       downgrade of groups with members is not supported.</li>
 * </ul>
 *
 * <p>Lifecycle and threading: created with its shard, empty, then filled by replay; used on the
 * shard's thread only.
 */
public final class ConsumerGroupHost {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerGroupHost.class);

    private final int partition;
    private final ConsumerGroupConfig config;
    private final ConsumerGroupManager manager;
    private final CoordinatorTimer timer;
    private final Map<String, Group> groups;
    private final Supplier<TopicsView> topics;
    private final ClassicGroupManager classic;

    /**
     * @param groups  the shard's groups of every type, shared with the other group managers
     * @param topics  the cluster's topics now (the metadata image), asked once per operation
     * @param classic the shard's classic groups, for conversions
     */
    ConsumerGroupHost(int partition, ConsumerGroupConfig config, CoordinatorTimer timer, Map<String, Group> groups,
                      Supplier<TopicsView> topics, ClassicGroupManager classic) {
        this.partition = partition;
        this.config = config;
        this.manager = new ConsumerGroupManager(config);
        this.timer = timer;
        this.groups = groups;
        this.topics = topics;
        this.classic = classic;
    }

    /** The consumer group with this id, or null. */
    public ConsumerGroup group(String groupId) {
        return manager.group(groupId);
    }

    // ---- replay --------------------------------------------------------------------------------

    /**
     * Applies a record of types 3-8.
     *
     * @throws dev.borges.protocol.MalformedMessageException if its bytes are not a consumer group record
     */
    void replay(CoordinatorRecord record) {
        ConsumerGroupRecord decoded = ConsumerGroupRecordCodec.decode(record.key(), record.value());
        String groupId = decoded.groupId();
        ConsumerGroup before = manager.group(groupId);
        manager.replay(decoded);
        ConsumerGroup after = manager.group(groupId);
        if (before == null && after != null) {
            Group replaced = groups.put(groupId, after);
            if (replaced != null && !replaced.isEmpty()) {
                LOG.warn("__consumer_offsets-{}: consumer group {} replaces a {} group that still had members", partition, groupId,
                    replaced.type().label());
            }
        } else if (before != null && after == null) {
            groups.remove(groupId, before); // unless a classic group already took the id (a JoinGroup conversion)
        }
    }

    /** The partition is loaded: every member gets a fresh session timeout, and pending revocations their rebalance timeout. */
    void onLoaded(long nowMs) {
        applyTimers(manager.timersAfterLoad(nowMs), nowMs);
    }

    // ---- operations ----------------------------------------------------------------------------

    /** ConsumerGroupHeartbeat: join, heartbeat or leave, with the conversion of an empty classic group on a join. */
    public CoordinatorResult<ConsumerGroupHeartbeatResponseData> heartbeat(ClientContext client,
                                                                          ConsumerGroupHeartbeatRequestData request, long nowMs) {
        String groupId = request.groupId();
        Optional<ConsumerGroupHeartbeatResponseData> invalid = manager.invalid(request, client.apiVersion());
        if (invalid.isPresent()) {
            return CoordinatorResult.of(invalid.get());
        }
        List<CoordinatorRecord> conversion = List.of();
        Group existing = groups.get(groupId);
        if (existing != null && !(existing instanceof ConsumerGroup)) {
            if (request.memberEpoch() == 0 && existing instanceof ClassicGroup classicGroup
                && classicGroup.isInState(ClassicGroupState.EMPTY)) {
                conversion = classic.deletionRecords(classicGroup);
            } else {
                return CoordinatorResult.of(new ConsumerGroupHeartbeatResponseData()
                    .setErrorCode(Errors.GROUP_ID_NOT_FOUND.code)
                    .setErrorMessage("Group " + groupId + " is not a consumer group."));
            }
        }
        ConsumerGroupResult<ConsumerGroupHeartbeatResponseData> result = manager.heartbeat(request, client.apiVersion(),
            new ClientInfo(client.clientId(), client.clientHost()), nowMs, topics.get());
        if (result.response().errorCode() != Errors.NONE.code) {
            return CoordinatorResult.of(result.response());
        }
        if (!conversion.isEmpty()) {
            LOG.info("Group {}: the empty classic group becomes a consumer group", groupId);
        }
        return toResult(result, nowMs).withRecordsBefore(conversion);
    }

    /**
     * A JoinGroup for {@code groupId}: if it names an empty consumer group, that group's
     * tombstones, and the group leaves the shard's map at once so the classic join can take the
     * id (its records are replayed after the join's). Otherwise nothing.
     */
    List<CoordinatorRecord> releaseEmptyGroupForClassicJoin(String groupId) {
        if (groups.get(groupId) instanceof ConsumerGroup group && group.isEmpty()) {
            List<CoordinatorRecord> records = deletionRecords(group);
            groups.remove(groupId);
            LOG.info("Group {}: the empty consumer group becomes a classic group", groupId);
            return records;
        }
        return List.of();
    }

    /** The tombstones that delete an empty consumer group (not its offsets: the caller adds those). */
    List<CoordinatorRecord> deletionRecords(ConsumerGroup group) {
        ConsumerGroupResult<Errors> deleted = manager.deleteGroup(group.groupId());
        if (deleted.response() != Errors.NONE) {
            throw new IllegalStateException("Group " + group.groupId() + " cannot be deleted: " + deleted.response());
        }
        return encode(deleted.records());
    }

    /** ConsumerGroupDescribe entries, in request order; ids of no group or of another type's answer GROUP_ID_NOT_FOUND. */
    public List<ConsumerGroupDescribeResponseData.DescribedGroup> describe(List<String> groupIds) {
        TopicsView view = topics.get();
        List<ConsumerGroupDescribeResponseData.DescribedGroup> described = new ArrayList<>();
        for (String groupId : groupIds) {
            Group group = groups.get(groupId);
            if (group instanceof ConsumerGroup consumerGroup) {
                described.add(ConsumerGroupDescriber.describe(consumerGroup, config, view));
            } else {
                ConsumerGroupDescribeResponseData.DescribedGroup missing = ConsumerGroupDescriber.notFound(groupId);
                described.add(group == null ? missing : missing.setErrorMessage("Group " + groupId + " is not a consumer group."));
            }
        }
        return described;
    }

    // ---- from the model's results to the runtime's -----------------------------------------------

    private <T> CoordinatorResult<T> toResult(ConsumerGroupResult<T> result, long nowMs) {
        List<TimerChange> timers = result.timers();
        List<Runnable> afterReplay = timers.isEmpty() ? List.of() : List.of(() -> applyTimers(timers, nowMs));
        return new CoordinatorResult<>(encode(result.records()), result.response(), List.of(), afterReplay);
    }

    private static List<CoordinatorRecord> encode(List<ConsumerGroupRecord> records) {
        List<CoordinatorRecord> encoded = new ArrayList<>(records.size());
        for (ConsumerGroupRecord record : records) {
            encoded.add(new CoordinatorRecord(ConsumerGroupRecordCodec.key(record), ConsumerGroupRecordCodec.value(record)));
        }
        return encoded;
    }

    /** Deadlines are absolute in the model; the timer counts from {@code nowMs}, the time of the operation that set them. */
    private void applyTimers(List<TimerChange> changes, long nowMs) {
        for (TimerChange change : changes) {
            if (change instanceof TimerChange.Schedule schedule) {
                ConsumerGroupTimeout timeout = schedule.timeout();
                timer.schedule(timeout.key(), Math.max(0, schedule.deadlineMs() - nowMs), firedAtMs -> expire(timeout, firedAtMs));
            } else if (change instanceof TimerChange.Cancel cancel) {
                timer.cancel(cancel.key());
            }
        }
    }

    private CoordinatorResult<Void> expire(ConsumerGroupTimeout timeout, long nowMs) {
        ConsumerGroupResult<Void> result = manager.expire(timeout, nowMs, topics.get());
        if (!result.records().isEmpty()) {
            LOG.info("Group {}: member {} removed, its {} timeout passed", timeout.groupId(), timeout.memberId(),
                timeout instanceof ConsumerGroupTimeout.Session ? "session" : "rebalance");
        }
        return toResult(result, nowMs);
    }
}
