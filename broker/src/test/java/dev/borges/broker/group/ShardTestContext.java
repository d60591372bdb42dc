package dev.borges.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.classic.ClassicGroup;
import dev.borges.broker.group.consumer.ConsumerGroup;
import dev.borges.broker.group.consumer.TopicsView;
import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.broker.coordinator.CoordinatorWriteOperation;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.message.HeartbeatRequestData;
import dev.borges.protocol.message.HeartbeatResponseData;
import dev.borges.protocol.message.JoinGroupRequestData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.LeaveGroupRequestData;
import dev.borges.protocol.message.LeaveGroupResponseData;
import dev.borges.protocol.message.OffsetCommitRequestData;
import dev.borges.protocol.message.OffsetCommitResponseData;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import dev.borges.protocol.message.SyncGroupRequestData;
import dev.borges.protocol.message.SyncGroupResponseData;
import dev.borges.protocol.message.TxnOffsetCommitRequestData;
import dev.borges.protocol.message.TxnOffsetCommitResponseData;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One {@link GroupCoordinatorShard} driven the way the runtime drives it, without threads: an
 * operation's records go to an in-memory log and are replayed into the shard, then its response
 * and completions complete; a {@link ManualTimer} stands in for time. {@link #reload()} builds a
 * second shard from the log alone, to check that replaying gives the same state. Transactional
 * results are replayed as pending, and {@link #endTransaction} writes a marker, as the runtime does.
 */
public final class ShardTestContext {
    public static final long START_MS = 1_700_000_000_000L;
    public static final int SESSION_TIMEOUT_MS = 10_000;
    public static final int REBALANCE_TIMEOUT_MS = 30_000;

    public final GroupConfig config;
    public final ManualTimer timer;
    public final GroupCoordinatorShard shard;
    /** The records written, plain or transactional (markers are no records). */
    public final List<CoordinatorRecord> log;
    /** Everything written, in order, as a replay into a shard: what loading the partition does. */
    private final List<Consumer<GroupCoordinatorShard>> entries;
    /** The cluster's topics as the shard sees them; tests replace it to create or grow topics. */
    public TopicsView topics = TopicsView.of(0, List.of());

    public ShardTestContext(GroupConfig config) {
        this(config, new ArrayList<>(), new ArrayList<>(), START_MS);
    }

    private ShardTestContext(GroupConfig config, List<CoordinatorRecord> log, List<Consumer<GroupCoordinatorShard>> entries,
                             long nowMs) {
        this.config = config;
        this.timer = new ManualTimer(nowMs);
        this.shard = new GroupCoordinatorShard(0, config, timer, () -> topics);
        this.log = log;
        this.entries = entries;
    }

    /** The defaults, no initial rebalance delay. */
    public static ShardTestContext create() {
        return new ShardTestContext(GroupConfig.defaults().withInitialRebalanceDelayMs(0));
    }

    public long now() {
        return timer.now();
    }

    /** Runs a write operation as the runtime would: append, replay, answer. */
    public <T> T write(CoordinatorWriteOperation<GroupCoordinatorShard, T> op) {
        return commit(op.generate(shard, now()));
    }

    public <T> T commit(CoordinatorResult<T> result) {
        CoordinatorResult.TransactionalProducer producer = result.producer();
        for (CoordinatorRecord record : result.records()) {
            log.add(record);
            write(producer == null ? s -> s.replay(record)
                : s -> s.replayTransactional(producer.producerId(), producer.producerEpoch(), record));
        }
        result.runAfterReplay();
        result.completions().forEach(CoordinatorResult.Completion::complete);
        return result.response();
    }

    /** The COMMIT or ABORT marker of {@code producerId}'s transaction, written and replayed. */
    public void endTransaction(long producerId, short producerEpoch, boolean commit) {
        write(s -> s.replayEndTransaction(producerId, producerEpoch, commit));
    }

    private void write(Consumer<GroupCoordinatorShard> entry) {
        entries.add(entry);
        entry.accept(shard);
    }

    /** Advances time, firing due timers through the same commit path. */
    public void advance(long ms) {
        timer.advance(ms, this::commit);
    }

    /** A new shard loaded from this one's log, as after a restart. */
    public ShardTestContext reload() {
        ShardTestContext reloaded = new ShardTestContext(config, new ArrayList<>(log), new ArrayList<>(entries), now());
        reloaded.topics = topics;
        entries.forEach(entry -> entry.accept(reloaded.shard));
        reloaded.shard.onLoaded(now());
        return reloaded;
    }

    // ---- requests ------------------------------------------------------------------------------

    public static final short JOIN_VERSION = 9;

    public CompletableFuture<JoinGroupResponseData> join(String groupId, String memberId, String instanceId, byte[] subscription) {
        return join(JOIN_VERSION, "client", groupId, memberId, instanceId, "consumer", List.of(protocol("range", subscription)),
            SESSION_TIMEOUT_MS);
    }

    public CompletableFuture<JoinGroupResponseData> join(int version, String clientId, String groupId, String memberId,
                                                         String instanceId, String protocolType,
                                                         List<JoinGroupRequestData.JoinGroupRequestProtocol> protocols,
                                                         int sessionTimeoutMs) {
        JoinGroupRequestData request = new JoinGroupRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setGroupInstanceId(instanceId)
            .setSessionTimeoutMs(sessionTimeoutMs)
            .setRebalanceTimeoutMs(REBALANCE_TIMEOUT_MS)
            .setProtocolType(protocolType)
            .setProtocols(new ArrayList<>(protocols));
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        write((s, now) -> s.joinGroup(new ClientContext(clientId, "/127.0.0.1", (short) version), request, response, now));
        return response;
    }

    /** A new dynamic member: the MEMBER_ID_REQUIRED round trip, then the join that waits. Returns that second join. */
    public CompletableFuture<JoinGroupResponseData> joinNew(String groupId, byte[] subscription) {
        JoinGroupResponseData first = join(groupId, "", null, subscription).join();
        assertThat(first.errorCode()).isEqualTo(dev.borges.protocol.Errors.MEMBER_ID_REQUIRED.code);
        return join(groupId, first.memberId(), null, subscription);
    }

    /** A one-member classic group of generation 1, joined and synced with {@code topics} as subscription: the join answer. */
    public JoinGroupResponseData stableMember(String groupId, String... topics) {
        CompletableFuture<JoinGroupResponseData> join = joinNew(groupId, subscription(topics));
        advance(0);
        JoinGroupResponseData joined = join.join();
        sync(groupId, joined.memberId(), null, 1, Map.of(joined.memberId(), bytes("all"))).join();
        return joined;
    }

    public static JoinGroupRequestData.JoinGroupRequestProtocol protocol(String name, byte[] metadata) {
        return new JoinGroupRequestData.JoinGroupRequestProtocol().setName(name).setMetadata(metadata);
    }

    public CompletableFuture<SyncGroupResponseData> sync(String groupId, String memberId, String instanceId, int generation,
                                                         Map<String, byte[]> assignments) {
        SyncGroupRequestData request = new SyncGroupRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setGroupInstanceId(instanceId)
            .setGenerationId(generation)
            .setProtocolType("consumer")
            .setProtocolName("range");
        assignments.forEach((member, bytes) -> request.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment()
            .setMemberId(member).setAssignment(bytes)));
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        write((s, now) -> s.classicGroups().syncGroup(new ClientContext("client", "/127.0.0.1", (short) 5), request, response, now));
        return response;
    }

    public short heartbeat(String groupId, String memberId, String instanceId, int generation) {
        HeartbeatResponseData response = write((s, now) -> s.classicGroups().heartbeat(new HeartbeatRequestData()
            .setGroupId(groupId).setMemberId(memberId).setGroupInstanceId(instanceId).setGenerationId(generation), now));
        return response.errorCode();
    }

    public LeaveGroupResponseData leave(String groupId, String memberId, String instanceId) {
        List<LeaveGroupRequestData.MemberIdentity> members = List.of(new LeaveGroupRequestData.MemberIdentity()
            .setMemberId(memberId).setGroupInstanceId(instanceId));
        return write((s, now) -> s.classicGroups().leaveGroup(members, groupId, now));
    }

    public OffsetCommitResponseData commit(int version, String groupId, String memberId, String instanceId, int generation,
                                           String topic, int partition, long offset, String metadata) {
        OffsetCommitRequestData request = new OffsetCommitRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setGroupInstanceId(instanceId)
            .setGenerationIdOrMemberEpoch(generation);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic));
        request.topics().get(0).partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
            .setPartitionIndex(partition).setCommittedOffset(offset).setCommittedLeaderEpoch(3).setCommittedMetadata(metadata));
        return write((s, now) -> s.offsets().commit(new ClientContext("client", "/127.0.0.1", (short) version), request, now));
    }

    /** A TxnOffsetCommit (version 3: with member and generation) of one partition, run as the runtime would. */
    public TxnOffsetCommitResponseData txnCommit(long producerId, String groupId, String memberId, String instanceId, int generation,
                                                 String topic, int partition, long offset, String metadata) {
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData()
            .setTransactionalId("txn-" + producerId)
            .setGroupId(groupId)
            .setProducerId(producerId)
            .setProducerEpoch((short) 0)
            .setMemberId(memberId)
            .setGroupInstanceId(instanceId)
            .setGenerationIdOrMemberEpoch(generation);
        request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName(topic));
        request.topics().get(0).partitions().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition()
            .setPartitionIndex(partition).setCommittedOffset(offset).setCommittedLeaderEpoch(3).setCommittedMetadata(metadata));
        return write((s, now) -> s.offsets().commitTransactional(request, now));
    }

    public static short txnCommitError(TxnOffsetCommitResponseData response) {
        return response.topics().get(0).partitions().get(0).errorCode();
    }

    /** The OffsetFetch answer for one partition, with or without {@code require_stable}. */
    public OffsetFetchResponseData.OffsetFetchResponsePartitions fetched(String groupId, String topic, int partition,
                                                                        boolean requireStable) {
        OffsetFetchResponseData.OffsetFetchResponseGroup group = shard.offsets().fetch(groupId, null, -1, List.of(
            new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(new ArrayList<>(List.of(partition)))),
            requireStable);
        return group.topics().get(0).partitions().get(0);
    }

    public static short commitError(OffsetCommitResponseData response) {
        return response.topics().get(0).partitions().get(0).errorCode();
    }

    /** The committed offset of a partition, -1 if none. */
    public long committed(String groupId, String topic, int partition) {
        OffsetFetchResponseData.OffsetFetchResponseGroup group = shard.offsets().fetch(groupId, List.of(
            new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic).setPartitionIndexes(new ArrayList<>(List.of(partition)))));
        return group.topics().get(0).partitions().get(0).committedOffset();
    }

    /** A ConsumerGroupHeartbeat (version 1) run as the runtime would. */
    public ConsumerGroupHeartbeatResponseData consumerHeartbeat(ConsumerGroupHeartbeatRequestData request) {
        return write((s, now) -> s.consumerGroups().heartbeat(new ClientContext("client", "/127.0.0.1", (short) 1), request, now));
    }

    public ClassicGroup group(String groupId) {
        return shard.classicGroups().group(groupId);
    }

    /** A consumer's subscription in the consumer protocol layout (version 0: topics, no user data). */
    public static byte[] subscription(String... topics) {
        int size = 2 + 4 + 4;
        for (String topic : topics) {
            size += 2 + topic.getBytes(StandardCharsets.UTF_8).length;
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.putShort((short) 0);
        buffer.putInt(topics.length);
        for (String topic : topics) {
            byte[] bytes = topic.getBytes(StandardCharsets.UTF_8);
            buffer.putShort((short) bytes.length);
            buffer.put(bytes);
        }
        buffer.putInt(-1); // no user data
        return buffer.array();
    }

    public static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The durable state as replay rebuilds it: each group's record and state, and all committed
     * offsets. Two shards with equal snapshots agree on everything stored.
     */
    public Map<String, Object> durableSnapshot() {
        Map<String, Object> snapshot = new TreeMap<>();
        for (Group group : shard.groups()) {
            if (group instanceof ClassicGroup classic) {
                snapshot.put("state " + group.groupId(), classic.stateName());
                snapshot.put("group " + group.groupId(), classic.toRecord());
            } else if (group instanceof ConsumerGroup consumer) {
                snapshot.put("consumer group " + group.groupId(), consumer.snapshot());
            }
            snapshot.put("offsets " + group.groupId(), shard.offsets().fetch(group.groupId(), null));
            snapshot.put("pending offsets " + group.groupId(), shard.offsetStore().pendingPartitions(group.groupId()));
        }
        return snapshot;
    }
}
