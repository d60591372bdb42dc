package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.broker.txn.TxnConfig;
import dev.borges.broker.txn.TxnMarkerRouter;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.DeleteGroupsRequestData;
import dev.borges.protocol.message.DescribeGroupsRequestData;
import dev.borges.protocol.message.FindCoordinatorRequestData;
import dev.borges.protocol.message.FindCoordinatorResponseData;
import dev.borges.protocol.message.HeartbeatRequestData;
import dev.borges.protocol.message.JoinGroupRequestData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.LeaveGroupRequestData;
import dev.borges.protocol.message.ListGroupsRequestData;
import dev.borges.protocol.message.OffsetCommitRequestData;
import dev.borges.protocol.message.OffsetDeleteRequestData;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.message.SyncGroupRequestData;
import dev.borges.protocol.message.TxnOffsetCommitRequestData;
import dev.borges.protocol.types.ApiMessage;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.Time;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every version the broker registers for the group APIs can be answered and read back whole by
 * kafka-clients: each handler gets a representative request at each version (successes and
 * errors, over a real group coordinator on a one-node controller), the response is written at that
 * version, and kafka-clients parses it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupResponseVersionsTest {
    private static final byte[] SUBSCRIPTION = {0, 0, 0, 0, 0, 1, 0, 6, 'o', 'r', 'd', 'e', 'r', 's', -1, -1, -1, -1};

    private AdminTestContext ctx;
    private GroupCoordinator groups;
    private TransactionCoordinator transactions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Map<ApiKey, IntFunction<CompletableFuture<? extends ApiMessage>>> calls = new LinkedHashMap<>();
    private JoinGroupHandler join;
    private SyncGroupHandler sync;
    private Uuid ordersId;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir, Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "3",
            "transaction.state.log.num.partitions", "2"));
        ctx.createTopic("orders", 2);
        ordersId = ctx.publisher.image().topics().topic("orders").id();
        groups = GroupCoordinator.start(GroupConfig.from(ctx.config), Time.SYSTEM, ctx.publisher::image,
            topic -> ctx.controller.createTopics(List.of(topic), false), null, timer);
        ctx.publisher.addLeadershipListener(groups);
        transactions = new TransactionCoordinator(TxnConfig.from(ctx.config), Time.SYSTEM, 1, ctx.publisher::image,
            topic -> ctx.controller.createTopics(List.of(topic), false), () -> CompletableFuture.completedFuture(1000L),
            groups::offsetsPartitionFor,
            new TxnMarkerRouter((tp, producerId, epoch, coordinatorEpoch, commit) -> Errors.NONE,
                (tp, producerId, epoch, coordinatorEpoch, commit) -> CompletableFuture.completedFuture(Errors.NONE),
                GroupCoordinator.OFFSETS_TOPIC), null, timer);
        ctx.publisher.addLeadershipListener(transactions);
        groups.ensureOffsetsTopic().join();
        long deadline = System.currentTimeMillis() + 10_000;
        while (groups.isLoading() || groups.hostedPartitions().size() < 3) {
            assertThat(System.currentTimeMillis()).as("shards loaded").isLessThan(deadline);
            Thread.sleep(10);
        }
        join = new JoinGroupHandler(groups);
        sync = new SyncGroupHandler(groups);

        FindCoordinatorHandler findCoordinator = new FindCoordinatorHandler(groups, transactions, ctx.publisher::image, "PLAINTEXT");
        calls.put(ApiKey.FIND_COORDINATOR, v -> {
            FindCoordinatorRequestData request = new FindCoordinatorRequestData().setKeyType((byte) (v % 2 == 1 ? 1 : 0));
            if (v >= 4) {
                request.setCoordinatorKeys(new ArrayList<>(List.of("g1", "g2")));
            } else {
                request.setKey("g1");
            }
            return findCoordinator.handle(header(ApiKey.FIND_COORDINATOR, v), request);
        });
        calls.put(ApiKey.JOIN_GROUP, v -> CompletableFuture.completedFuture(stableMember("join-v" + v, v)));
        calls.put(ApiKey.SYNC_GROUP, v -> {
            JoinGroupResponseData member = joinOnly("sync-v" + v, (short) 5);
            SyncGroupRequestData request = new SyncGroupRequestData().setGroupId("sync-v" + v).setMemberId(member.memberId())
                .setGenerationId(member.generationId());
            request.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member.memberId())
                .setAssignment(new byte[] {1, 2, 3}));
            if (v >= 5) {
                request.setProtocolType("consumer").setProtocolName("range");
            }
            return sync.handle(header(ApiKey.SYNC_GROUP, v), request);
        });
        HeartbeatHandler heartbeat = new HeartbeatHandler(groups);
        calls.put(ApiKey.HEARTBEAT, v -> {
            JoinGroupResponseData member = stableMember("heartbeat-v" + v, 5);
            return heartbeat.handle(header(ApiKey.HEARTBEAT, v), new HeartbeatRequestData().setGroupId("heartbeat-v" + v)
                .setMemberId(member.memberId()).setGenerationId(member.generationId() + (v % 2)));
        });
        LeaveGroupHandler leave = new LeaveGroupHandler(groups);
        calls.put(ApiKey.LEAVE_GROUP, v -> {
            JoinGroupResponseData member = stableMember("leave-v" + v, 5);
            LeaveGroupRequestData request = new LeaveGroupRequestData().setGroupId("leave-v" + v);
            if (v >= 3) {
                request.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId(member.memberId()));
                request.members().add(new LeaveGroupRequestData.MemberIdentity().setMemberId("ghost"));
            } else {
                request.setMemberId(member.memberId());
            }
            return leave.handle(header(ApiKey.LEAVE_GROUP, v), request);
        });
        OffsetCommitHandler commit = new OffsetCommitHandler(groups, ctx.publisher::image);
        calls.put(ApiKey.OFFSET_COMMIT, v -> {
            OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId("standalone").setGenerationIdOrMemberEpoch(-1);
            OffsetCommitRequestData.OffsetCommitRequestTopic topic = new OffsetCommitRequestData.OffsetCommitRequestTopic();
            OffsetCommitRequestData.OffsetCommitRequestTopic missing = new OffsetCommitRequestData.OffsetCommitRequestTopic();
            if (v >= 10) {
                topic.setTopicId(ordersId);
                missing.setTopicId(new Uuid(7, 7));
            } else {
                topic.setName("orders");
                missing.setName("missing");
            }
            topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(v));
            topic.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(9).setCommittedOffset(v));
            missing.partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(v));
            request.topics().add(topic);
            request.topics().add(missing);
            return commit.handle(header(ApiKey.OFFSET_COMMIT, v), request);
        });
        OffsetFetchHandler fetch = new OffsetFetchHandler(groups, ctx.publisher::image);
        calls.put(ApiKey.OFFSET_FETCH, v -> {
            OffsetFetchRequestData request = new OffsetFetchRequestData();
            if (v >= 8) {
                OffsetFetchRequestData.OffsetFetchRequestTopics topic = new OffsetFetchRequestData.OffsetFetchRequestTopics()
                    .setPartitionIndexes(new ArrayList<>(List.of(0, 1)));
                if (v >= 10) {
                    topic.setTopicId(ordersId);
                } else {
                    topic.setName("orders");
                }
                request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("standalone")
                    .setTopics(new ArrayList<>(List.of(topic))));
                request.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("standalone").setTopics(null));
            } else {
                request.setGroupId("standalone").setTopics(v >= 2 && v % 2 == 0 ? null : new ArrayList<>(List.of(
                    new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("orders").setPartitionIndexes(new ArrayList<>(List.of(0, 1))))));
            }
            return fetch.handle(header(ApiKey.OFFSET_FETCH, v), request);
        });
        OffsetDeleteHandler offsetDelete = new OffsetDeleteHandler(groups, ctx.publisher::image);
        calls.put(ApiKey.OFFSET_DELETE, v -> {
            OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId("standalone");
            request.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(new ArrayList<>(List.of(
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(1),
                new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(8)))));
            return offsetDelete.handle(header(ApiKey.OFFSET_DELETE, v), request);
        });
        TxnOffsetCommitHandler txnCommit = new TxnOffsetCommitHandler(groups, ctx.publisher::image);
        calls.put(ApiKey.TXN_OFFSET_COMMIT, v -> {
            TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setTransactionalId("app").setGroupId("transactional")
                .setProducerId(77).setProducerEpoch((short) 0).setGenerationIdOrMemberEpoch(-1);
            request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("orders").setPartitions(new ArrayList<>(
                List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0).setCommittedOffset(v),
                    new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(9).setCommittedOffset(v)))));
            return txnCommit.handle(header(ApiKey.TXN_OFFSET_COMMIT, v), request);
        });
        DescribeGroupsHandler describe = new DescribeGroupsHandler(groups);
        calls.put(ApiKey.DESCRIBE_GROUPS, v -> {
            stableMember("describe-v" + v, 5);
            return describe.handle(header(ApiKey.DESCRIBE_GROUPS, v), new DescribeGroupsRequestData()
                .setGroups(new ArrayList<>(List.of("describe-v" + v, "standalone", "never-heard-of")))
                .setIncludeAuthorizedOperations(v >= 3));
        });
        ListGroupsHandler list = new ListGroupsHandler(groups);
        calls.put(ApiKey.LIST_GROUPS, v -> {
            ListGroupsRequestData request = new ListGroupsRequestData();
            if (v >= 4) {
                request.setStatesFilter(new ArrayList<>(List.of("Stable", "Empty")));
            }
            if (v >= 5) {
                request.setTypesFilter(new ArrayList<>(List.of("classic")));
            }
            return list.handle(header(ApiKey.LIST_GROUPS, v), request);
        });
        ConsumerGroupHeartbeatHandler consumerHeartbeat = new ConsumerGroupHeartbeatHandler(groups);
        calls.put(ApiKey.CONSUMER_GROUP_HEARTBEAT, v -> consumerHeartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, v),
            new ConsumerGroupHeartbeatRequestData().setGroupId("consumers-v" + v).setMemberId(v == 0 ? "" : "member-v" + v)
                .setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("orders"))
                .setTopicPartitions(List.of()).setServerAssignor("range")).thenApply(response -> {
                    assertThat(response.errorCode()).as("join v%d: %s", v, response.errorMessage()).isEqualTo(Errors.NONE.code);
                    assertThat(response.assignment().topicPartitions()).hasSize(1);
                    return response;
                }));
        ConsumerGroupDescribeHandler consumerDescribe = new ConsumerGroupDescribeHandler(groups);
        calls.put(ApiKey.CONSUMER_GROUP_DESCRIBE, v -> {
            consumerHeartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1), new ConsumerGroupHeartbeatRequestData()
                .setGroupId("described-v" + v).setMemberId("m").setMemberEpoch(0).setRebalanceTimeoutMs(30_000).setInstanceId("i")
                .setRackId("rack").setSubscribedTopicNames(List.of("orders")).setTopicPartitions(List.of())).join();
            return consumerDescribe.handle(header(ApiKey.CONSUMER_GROUP_DESCRIBE, v), new ConsumerGroupDescribeRequestData()
                .setGroupIds(new ArrayList<>(List.of("described-v" + v, "standalone", "never-heard-of")))
                .setIncludeAuthorizedOperations(v == 1));
        });
        DeleteGroupsHandler delete = new DeleteGroupsHandler(groups);
        calls.put(ApiKey.DELETE_GROUPS, v -> delete.handle(header(ApiKey.DELETE_GROUPS, v), new DeleteGroupsRequestData()
            .setGroupsNames(new ArrayList<>(List.of("describe-v0", "never-heard-of")))));
    }

    @AfterAll
    void stop() {
        transactions.close();
        groups.close();
        timer.shutdownNow();
        ctx.close();
    }

    private JoinGroupResponseData joinOnly(String group, short version) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setSessionTimeoutMs(30_000).setRebalanceTimeoutMs(30_000)
            .setProtocolType("consumer");
        request.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(SUBSCRIPTION));
        JoinGroupResponseData first = join.handle(header(ApiKey.JOIN_GROUP, version), request).join();
        if (first.errorCode() == Errors.MEMBER_ID_REQUIRED.code) {
            first = join.handle(header(ApiKey.JOIN_GROUP, version), request.setMemberId(first.memberId())).join();
        }
        assertThat(first.errorCode()).as("join %s v%d", group, version).isEqualTo(Errors.NONE.code);
        return first;
    }

    /** A one-member group, joined at {@code version} and synced: its join answer. */
    private JoinGroupResponseData stableMember(String group, int version) {
        JoinGroupResponseData member = joinOnly(group, (short) version);
        SyncGroupRequestData request = new SyncGroupRequestData().setGroupId(group).setMemberId(member.memberId())
            .setGenerationId(member.generationId());
        request.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(member.memberId())
            .setAssignment(new byte[] {9}));
        assertThat(sync.handle(header(ApiKey.SYNC_GROUP, 3), request).join().errorCode()).isEqualTo(Errors.NONE.code);
        return member;
    }

    @Test
    void everyRegisteredVersionOfEveryGroupApiIsAnsweredAndReadableByKafkaClients() {
        assertThat(calls.keySet()).hasSize(14);
        List<String> checked = RegisteredVersions.answerAndReadWithKafkaClients(calls);
        assertThat(checked).contains("FindCoordinator v0", "FindCoordinator v6", "JoinGroup v0", "JoinGroup v9", "SyncGroup v0",
            "SyncGroup v5", "Heartbeat v4", "LeaveGroup v0", "LeaveGroup v5", "OffsetCommit v2", "OffsetCommit v10", "OffsetFetch v1",
            "OffsetFetch v10", "OffsetDelete v0", "TxnOffsetCommit v0", "TxnOffsetCommit v4", "DescribeGroups v0", "DescribeGroups v6", "ListGroups v0", "ListGroups v5",
            "DeleteGroups v0", "DeleteGroups v2", "ConsumerGroupHeartbeat v0", "ConsumerGroupHeartbeat v1", "ConsumerGroupDescribe v0",
            "ConsumerGroupDescribe v1");
    }

    @Test
    void findCoordinatorPointsAtThisBroker() {
        FindCoordinatorHandler handler = new FindCoordinatorHandler(groups, transactions, ctx.publisher::image, "PLAINTEXT");
        FindCoordinatorResponseData v3 = handler.handle(header(ApiKey.FIND_COORDINATOR, 3), new FindCoordinatorRequestData().setKey("g")).join();
        assertThat(v3.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(v3.nodeId()).isEqualTo(1);
        assertThat(v3.host()).isEqualTo("localhost");
        assertThat(v3.port()).isEqualTo(9092);
        FindCoordinatorResponseData txn = handler.handle(header(ApiKey.FIND_COORDINATOR, 4), new FindCoordinatorRequestData()
            .setKeyType((byte) 1).setCoordinatorKeys(new ArrayList<>(List.of("t")))).join();
        assertThat(txn.coordinators().get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(txn.coordinators().get(0).nodeId()).isEqualTo(1);
        assertThat(ctx.publisher.image().topics().topic(TransactionCoordinator.STATE_TOPIC).partitionCount()).isEqualTo(2);
    }
}
