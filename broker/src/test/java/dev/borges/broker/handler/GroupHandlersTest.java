package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.coordinator.ManualEventLoop;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeRequestData;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.message.DeleteGroupsRequestData;
import dev.borges.protocol.message.DescribeGroupsRequestData;
import dev.borges.protocol.message.HeartbeatRequestData;
import dev.borges.protocol.message.JoinGroupRequestData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.LeaveGroupRequestData;
import dev.borges.protocol.message.ListGroupsRequestData;
import dev.borges.protocol.message.OffsetCommitRequestData;
import dev.borges.protocol.message.OffsetCommitResponseData;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import dev.borges.protocol.message.SyncGroupRequestData;
import dev.borges.protocol.message.SyncGroupResponseData;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.TopicPartition;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The group handlers' answers when the group coordinator cannot serve a group (not this broker's,
 * still loading) and for bad input, over real partitions and a coordinator whose shard thread the
 * test runs by hand.
 */
class GroupHandlersTest {
    private static final byte[] SUBSCRIPTION = {0, 0, 0, 0, 0, 1, 0, 6, 'o', 'r', 'd', 'e', 'r', 's', -1, -1, -1, -1};

    @TempDir
    Path dir;

    private GroupCoordinatorFixture fixture;
    private AdminTestContext ctx;
    private ManualEventLoop loop;
    private GroupCoordinator groups;

    @BeforeEach
    void start() throws Exception {
        fixture = new GroupCoordinatorFixture(dir, Map.of("group.initial.rebalance.delay.ms", "0", "offsets.topic.num.partitions", "1"));
        ctx = fixture.ctx;
        loop = fixture.loop;
        groups = fixture.groups;
        ctx.createTopic("orders", 2);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private <T> T run(CompletableFuture<T> future) {
        return fixture.run(future);
    }

    private static JoinGroupRequestData joinRequest(String group, String memberId) {
        JoinGroupRequestData request = new JoinGroupRequestData().setGroupId(group).setMemberId(memberId).setSessionTimeoutMs(10_000)
            .setRebalanceTimeoutMs(10_000).setProtocolType("consumer");
        request.protocols().add(new JoinGroupRequestData.JoinGroupRequestProtocol().setName("range").setMetadata(SUBSCRIPTION));
        return request;
    }

    private static OffsetCommitRequestData commitRequest(String group, String topic, Uuid topicId, int partition) {
        OffsetCommitRequestData request = new OffsetCommitRequestData().setGroupId(group).setGenerationIdOrMemberEpoch(-1);
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(topic).setTopicId(topicId));
        request.topics().get(0).partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(partition)
            .setCommittedOffset(7));
        return request;
    }

    @Test
    void groupsOfAPartitionThisBrokerDoesNotLeadAnswerNotCoordinator() {
        JoinGroupHandler join = new JoinGroupHandler(groups);
        assertThat(run(join.handle(header(ApiKey.JOIN_GROUP, 5), joinRequest("g", ""))).errorCode())
            .isEqualTo(Errors.NOT_COORDINATOR.code);
        OffsetFetchRequestData fetch = new OffsetFetchRequestData();
        fetch.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null));
        assertThat(run(new OffsetFetchHandler(groups, ctx.publisher::image).handle(header(ApiKey.OFFSET_FETCH, 9), fetch))
            .groups().get(0).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code);
        assertThat(run(new ListGroupsHandler(groups).handle(header(ApiKey.LIST_GROUPS, 5), new ListGroupsRequestData())).groups())
            .isEmpty();
    }

    @Test
    void whileThePartitionLoadsEachApiAnswersAsClientsExpect() {
        groups.ensureOffsetsTopic().join(); // the shard is queued for loading, not loaded
        assertThat(run(new JoinGroupHandler(groups).handle(header(ApiKey.JOIN_GROUP, 5), joinRequest("g", ""))).errorCode())
            .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
    }

    @Test
    void whileThePartitionLoadsHeartbeatsPassAndSyncsRestartTheRebalance() {
        groups.ensureOffsetsTopic().join();
        assertThat(new HeartbeatHandler(groups).handle(header(ApiKey.HEARTBEAT, 4), new HeartbeatRequestData().setGroupId("g")
            .setMemberId("m").setGenerationId(3)).join().errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(new SyncGroupHandler(groups).handle(header(ApiKey.SYNC_GROUP, 5), new SyncGroupRequestData().setGroupId("g")
            .setMemberId("m").setGenerationId(3)).join().errorCode()).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code);
        OffsetFetchHandler fetch = new OffsetFetchHandler(groups, ctx.publisher::image);
        OffsetFetchRequestData v7 = new OffsetFetchRequestData().setGroupId("g").setTopics(null);
        assertThat(fetch.handle(header(ApiKey.OFFSET_FETCH, 7), v7).join().errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
        OffsetFetchRequestData v1 = new OffsetFetchRequestData().setGroupId("g").setTopics(new ArrayList<>(List.of(
            new OffsetFetchRequestData.OffsetFetchRequestTopic().setName("orders").setPartitionIndexes(new ArrayList<>(List.of(0))))));
        assertThat(fetch.handle(header(ApiKey.OFFSET_FETCH, 1), v1).join().topics().get(0).partitions().get(0).errorCode())
            .as("version 1 has no top-level error").isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
        assertThat(new ListGroupsHandler(groups).handle(header(ApiKey.LIST_GROUPS, 5), new ListGroupsRequestData()).join().errorCode())
            .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
        assertThat(new DescribeGroupsHandler(groups).handle(header(ApiKey.DESCRIBE_GROUPS, 5), new DescribeGroupsRequestData()
            .setGroups(new ArrayList<>(List.of("g")))).join().groups().get(0).errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
        assertThat(new DeleteGroupsHandler(groups).handle(header(ApiKey.DELETE_GROUPS, 2), new DeleteGroupsRequestData()
            .setGroupsNames(new ArrayList<>(List.of("g")))).join().results().get(0).errorCode())
            .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
        OffsetCommitResponseData commit = new OffsetCommitHandler(groups, ctx.publisher::image).handle(header(ApiKey.OFFSET_COMMIT, 8),
            commitRequest("g", "orders", Uuid.ZERO, 0)).join();
        assertThat(commit.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);

        loop.runAll(); // loaded
        assertThat(run(new JoinGroupHandler(groups).handle(header(ApiKey.JOIN_GROUP, 5), joinRequest("g", ""))).errorCode())
            .isEqualTo(Errors.MEMBER_ID_REQUIRED.code);
    }

    @Test
    void anEmptyGroupIdIsInvalidForMembershipRequests() {
        groups.ensureOffsetsTopic().join();
        loop.runAll();
        assertThat(run(new JoinGroupHandler(groups).handle(header(ApiKey.JOIN_GROUP, 5), joinRequest("", ""))).errorCode())
            .isEqualTo(Errors.INVALID_GROUP_ID.code);
        assertThat(run(new SyncGroupHandler(groups).handle(header(ApiKey.SYNC_GROUP, 5), new SyncGroupRequestData().setGroupId("")))
            .errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code);
        assertThat(run(new HeartbeatHandler(groups).handle(header(ApiKey.HEARTBEAT, 4), new HeartbeatRequestData().setGroupId("")))
            .errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code);
        assertThat(run(new LeaveGroupHandler(groups).handle(header(ApiKey.LEAVE_GROUP, 2), new LeaveGroupRequestData().setGroupId("")
            .setMemberId("m"))).errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code);
    }

    @Test
    void commitsToTopicsOrPartitionsThatDoNotExistAreRefusedAndTheRestStored() {
        groups.ensureOffsetsTopic().join();
        loop.runAll();
        OffsetCommitHandler handler = new OffsetCommitHandler(groups, ctx.publisher::image);
        OffsetCommitRequestData request = commitRequest("g", "orders", Uuid.ZERO, 0);
        request.topics().get(0).partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(5)
            .setCommittedOffset(1));
        request.topics().add(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName("nope").setPartitions(new ArrayList<>(List.of(
            new OffsetCommitRequestData.OffsetCommitRequestPartition().setPartitionIndex(0)))));
        OffsetCommitResponseData response = run(handler.handle(header(ApiKey.OFFSET_COMMIT, 9), request));
        assertThat(errors(response)).containsExactlyInAnyOrder("orders-0=0", "orders-5=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code,
            "nope-0=" + Errors.UNKNOWN_TOPIC_OR_PARTITION.code);

        Uuid ordersId = ctx.publisher.image().topics().topic("orders").id();
        OffsetCommitResponseData byId = run(handler.handle(header(ApiKey.OFFSET_COMMIT, 10), commitRequest("g", "", new Uuid(5, 5), 0)));
        assertThat(byId.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_ID.code);
        OffsetCommitResponseData known = run(handler.handle(header(ApiKey.OFFSET_COMMIT, 10), commitRequest("g", "", ordersId, 1)));
        assertThat(known.topics().get(0).topicId()).isEqualTo(ordersId);
        assertThat(known.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code);

        OffsetFetchRequestData fetch = new OffsetFetchRequestData();
        fetch.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("g").setTopics(null));
        OffsetFetchResponseData fetched = run(new OffsetFetchHandler(groups, ctx.publisher::image).handle(header(ApiKey.OFFSET_FETCH, 10),
            fetch));
        assertThat(fetched.groups().get(0).topics()).singleElement().satisfies(topic -> {
            assertThat(topic.topicId()).isEqualTo(ordersId);
            assertThat(topic.partitions()).extracting(p -> p.partitionIndex() + "@" + p.committedOffset()).containsExactly("0@7", "1@7");
        });
    }

    @Test
    void anAssignmentTooLargeToStoreFailsTheSyncAndLeavesTheGroupRebalancing() {
        groups.ensureOffsetsTopic().join();
        loop.runAll();
        JoinGroupHandler join = new JoinGroupHandler(groups);
        String memberId = run(join.handle(header(ApiKey.JOIN_GROUP, 5), joinRequest("big", ""))).memberId();
        CompletableFuture<JoinGroupResponseData> joined = join.handle(header(ApiKey.JOIN_GROUP, 5), joinRequest("big", memberId));
        loop.advance(0);
        assertThat(joined.join().generationId()).isEqualTo(1);

        SyncGroupRequestData sync = new SyncGroupRequestData().setGroupId("big").setMemberId(memberId).setGenerationId(1);
        sync.assignments().add(new SyncGroupRequestData.SyncGroupRequestAssignment().setMemberId(memberId)
            .setAssignment(new byte[2 * 1024 * 1024])); // over max.message.bytes of __consumer_offsets
        SyncGroupResponseData failed = run(new SyncGroupHandler(groups).handle(header(ApiKey.SYNC_GROUP, 5), sync));
        assertThat(failed.errorCode()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR.code);
        assertThat(ctx.partitions.leader(new TopicPartition("__consumer_offsets", 0)).log().logEndOffset())
            .as("nothing was written").isZero();

        sync.assignments().get(0).setAssignment(new byte[] {1});
        SyncGroupResponseData retried = run(new SyncGroupHandler(groups).handle(header(ApiKey.SYNC_GROUP, 5), sync));
        assertThat(retried.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(retried.assignment()).containsExactly(1);
    }

    private static ConsumerGroupHeartbeatRequestData consumerJoin(String group, String memberId) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(memberId).setMemberEpoch(0)
            .setRebalanceTimeoutMs(30_000).setSubscribedTopicNames(List.of("orders")).setTopicPartitions(List.of());
    }

    @Test
    void consumerGroupHeartbeatAndDescribeAnswerCoordinatorErrorsLikeTheOtherGroupApis() {
        ConsumerGroupHeartbeatHandler heartbeat = new ConsumerGroupHeartbeatHandler(groups);
        ConsumerGroupDescribeHandler describe = new ConsumerGroupDescribeHandler(groups);
        assertThat(run(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1), consumerJoin("g", "m1"))).errorCode())
            .isEqualTo(Errors.NOT_COORDINATOR.code);
        assertThat(run(describe.handle(header(ApiKey.CONSUMER_GROUP_DESCRIBE, 1), new ConsumerGroupDescribeRequestData()
            .setGroupIds(new ArrayList<>(List.of("g"))))).groups().get(0).errorCode()).isEqualTo(Errors.NOT_COORDINATOR.code);

        groups.ensureOffsetsTopic().join();
        assertThat(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1), consumerJoin("g", "m1")).join().errorCode())
            .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS.code);
    }

    @Test
    void aConsumerGroupServedThroughTheHandlers() {
        groups.ensureOffsetsTopic().join();
        loop.runAll();
        Uuid ordersId = ctx.publisher.image().topics().topic("orders").id();
        ConsumerGroupHeartbeatHandler heartbeat = new ConsumerGroupHeartbeatHandler(groups);
        ConsumerGroupHeartbeatResponseData joined = run(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1),
            consumerJoin("billing", "m1")));
        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(joined.memberEpoch()).isEqualTo(1);
        assertThat(joined.heartbeatIntervalMs()).isEqualTo(5000);
        assertThat(joined.assignment().topicPartitions()).singleElement().satisfies(topic -> {
            assertThat(topic.topicId()).as("topics come from the metadata image").isEqualTo(ordersId);
            assertThat(topic.partitions()).containsExactly(0, 1);
        });
        ConsumerGroupHeartbeatResponseData v0 = run(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 0),
            consumerJoin("billing", "")));
        assertThat(v0.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(v0.memberId()).as("version 0: the coordinator names the member").isNotEmpty();

        ConsumerGroupDescribeResponseData described = run(new ConsumerGroupDescribeHandler(groups).handle(
            header(ApiKey.CONSUMER_GROUP_DESCRIBE, 1), new ConsumerGroupDescribeRequestData()
                .setGroupIds(new ArrayList<>(List.of("billing", "", "nobody"))).setIncludeAuthorizedOperations(true)));
        assertThat(described.groups()).extracting(ConsumerGroupDescribeResponseData.DescribedGroup::errorCode)
            .containsExactly(Errors.NONE.code, Errors.INVALID_GROUP_ID.code, Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(described.groups().get(0).members()).extracting(ConsumerGroupDescribeResponseData.Member::memberId)
            .contains("m1", v0.memberId());
        assertThat(described.groups().get(0).authorizedOperations()).isEqualTo((1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11));

        DescribeGroupsHandler classicDescribe = new DescribeGroupsHandler(groups);
        DescribeGroupsRequestData billing = new DescribeGroupsRequestData().setGroups(new ArrayList<>(List.of("billing")));
        assertThat(run(classicDescribe.handle(header(ApiKey.DESCRIBE_GROUPS, 6), billing)).groups().get(0).errorCode())
            .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(run(classicDescribe.handle(header(ApiKey.DESCRIBE_GROUPS, 5), billing)).groups().get(0))
            .satisfies(group -> {
                assertThat(group.errorCode()).as("before v6: Dead, no error").isEqualTo(Errors.NONE.code);
                assertThat(group.groupState()).isEqualTo("Dead");
            });

        OffsetCommitRequestData commit = commitRequest("billing", "orders", Uuid.ZERO, 0).setMemberId("m1")
            .setGenerationIdOrMemberEpoch(joined.memberEpoch());
        assertThat(errors(run(new OffsetCommitHandler(groups, ctx.publisher::image).handle(header(ApiKey.OFFSET_COMMIT, 9), commit))))
            .containsExactly("orders-0=0");
        OffsetFetchHandler fetch = new OffsetFetchHandler(groups, ctx.publisher::image);
        OffsetFetchRequestData stale = new OffsetFetchRequestData();
        stale.groups().add(new OffsetFetchRequestData.OffsetFetchRequestGroup().setGroupId("billing").setMemberId("m1")
            .setMemberEpoch(joined.memberEpoch() - 1).setTopics(null));
        assertThat(run(fetch.handle(header(ApiKey.OFFSET_FETCH, 9), stale)).groups().get(0).errorCode())
            .isEqualTo(Errors.STALE_MEMBER_EPOCH.code);
        stale.groups().get(0).setMemberEpoch(joined.memberEpoch());
        assertThat(run(fetch.handle(header(ApiKey.OFFSET_FETCH, 9), stale)).groups().get(0).topics().get(0).partitions().get(0)
            .committedOffset()).isEqualTo(7);

        ListGroupsRequestData consumersOnly = new ListGroupsRequestData().setTypesFilter(new ArrayList<>(List.of("Consumer")));
        assertThat(run(new ListGroupsHandler(groups).handle(header(ApiKey.LIST_GROUPS, 5), consumersOnly)).groups())
            .singleElement().satisfies(listed -> assertThat(listed.groupType()).isEqualTo("consumer"));
    }

    @Test
    void aCommitSentBeforeAnEpochBumpCountsForThePartitionsTheMemberKept() {
        groups.ensureOffsetsTopic().join();
        loop.runAll();
        Uuid ordersId = ctx.publisher.image().topics().topic("orders").id();
        ConsumerGroupHeartbeatHandler heartbeat = new ConsumerGroupHeartbeatHandler(groups);
        assertThat(run(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1), consumerJoin("billing", "m1"))).memberEpoch())
            .isEqualTo(1);
        run(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1), consumerJoin("billing", "m2")));
        List<Integer> kept = run(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1), consumerHeartbeat("m1", 1, ordersId,
            List.of(0, 1)))).assignment().topicPartitions().get(0).partitions();
        assertThat(kept).hasSize(1);
        assertThat(run(heartbeat.handle(header(ApiKey.CONSUMER_GROUP_HEARTBEAT, 1), consumerHeartbeat("m1", 1, ordersId, kept)))
            .memberEpoch()).as("bumped once the other partition is given back").isEqualTo(2);
        int given = 1 - kept.get(0);

        OffsetCommitHandler commit = new OffsetCommitHandler(groups, ctx.publisher::image);
        for (short version : new short[] {9, 10}) {
            Uuid topicId = version >= 10 ? ordersId : Uuid.ZERO;
            OffsetCommitRequestData request = commitRequest("billing", version >= 10 ? "" : "orders", topicId, kept.get(0))
                .setMemberId("m1").setGenerationIdOrMemberEpoch(1);
            request.topics().get(0).partitions().add(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                .setPartitionIndex(given).setCommittedOffset(7));
            assertThat(errors(run(commit.handle(header(ApiKey.OFFSET_COMMIT, version), request))))
                .as("version %d", version)
                .containsExactly("orders-" + kept.get(0) + "=0", "orders-" + given + "=" + Errors.STALE_MEMBER_EPOCH.code);
        }
    }

    private static ConsumerGroupHeartbeatRequestData consumerHeartbeat(String memberId, int epoch, Uuid topicId, List<Integer> owned) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId("billing").setMemberId(memberId).setMemberEpoch(epoch)
            .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(topicId)
                .setPartitions(owned)));
    }

    private static List<String> errors(OffsetCommitResponseData response) {
        List<String> errors = new ArrayList<>();
        response.topics().forEach(topic -> topic.partitions().forEach(p -> errors.add(topic.name() + "-" + p.partitionIndex() + "="
            + p.errorCode())));
        return errors;
    }
}
