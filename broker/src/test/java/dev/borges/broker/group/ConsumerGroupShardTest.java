package dev.borges.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.classic.ClassicGroupState;
import dev.borges.broker.group.consumer.ConsumerGroup;
import dev.borges.broker.group.consumer.ConsumerGroupState;
import dev.borges.broker.group.consumer.TopicsView;
import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.message.DeleteGroupsResponseData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.ListGroupsResponseData;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * KIP-848 consumer groups hosted in a coordinator shard: their records go through the shard's log
 * and replay, their timeouts through the shard's timer, and they share group ids, offsets,
 * listing, deletion and expiry with classic groups. Runs on a manual clock with an in-memory log
 * ({@link ShardTestContext}).
 */
class ConsumerGroupShardTest {
    private static final Uuid ORDERS = new Uuid(0x0DE5, 1);
    private static final long SESSION_TIMEOUT_MS = GroupConfig.defaults().consumer().sessionTimeoutMs();

    private final ShardTestContext ctx = ShardTestContext.create();

    private void topics(int ordersPartitions) {
        ctx.topics = TopicsView.of(ctx.topics.version() + 1, List.of(new TopicsView.TopicInfo(ORDERS, "orders", ordersPartitions)));
    }

    private static ConsumerGroupHeartbeatRequestData join(String group, String member) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(0)
            .setRebalanceTimeoutMs(60_000).setSubscribedTopicNames(List.of("orders")).setTopicPartitions(List.of());
    }

    private static ConsumerGroupHeartbeatRequestData heartbeat(String group, String member, int epoch, Set<Integer> owned) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(epoch)
            .setTopicPartitions(List.of(new ConsumerGroupHeartbeatRequestData.TopicPartitions().setTopicId(ORDERS)
                .setPartitions(new ArrayList<>(owned))));
    }

    private static ConsumerGroupHeartbeatRequestData leave(String group, String member) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(group).setMemberId(member).setMemberEpoch(-1);
    }

    private static Set<Integer> partitions(ConsumerGroupHeartbeatResponseData response) {
        Set<Integer> partitions = new TreeSet<>();
        if (response.assignment() != null) {
            response.assignment().topicPartitions().forEach(topic -> partitions.addAll(topic.partitions()));
        }
        return partitions;
    }

    /** A member that heartbeats until it is stable, as a client applying every assignment at once would. */
    private final class Member {
        final String id;
        int epoch;
        Set<Integer> owned = Set.of();

        Member(String group, String id) {
            this.id = id;
            apply(ctx.consumerHeartbeat(join(group, id)));
        }

        void heartbeat(String group) {
            apply(ctx.consumerHeartbeat(ConsumerGroupShardTest.heartbeat(group, id, epoch, owned)));
        }

        private void apply(ConsumerGroupHeartbeatResponseData response) {
            assertThat(response.errorCode()).as("heartbeat of %s: %s", id, response.errorMessage()).isEqualTo(Errors.NONE.code);
            epoch = response.memberEpoch();
            if (response.assignment() != null) {
                owned = partitions(response);
            }
        }
    }

    /** Heartbeats every member a few rounds, so revocations and assignments settle. */
    private void settle(String group, Member... members) {
        for (int round = 0; round < 4; round++) {
            for (Member member : members) {
                member.heartbeat(group);
            }
        }
    }

    /** A classic member joins (its join phase ends at once: no initial rebalance delay). */
    private JoinGroupResponseData joinClassic(String groupId) {
        CompletableFuture<JoinGroupResponseData> joined = ctx.joinNew(groupId, ShardTestContext.subscription("orders"));
        ctx.advance(0);
        return joined.join();
    }

    private ConsumerGroup consumerGroup(String groupId) {
        return ctx.shard.consumerGroups().group(groupId);
    }

    @Test
    void membersSplitThePartitionsAndAReloadedShardHasTheSameGroup() {
        topics(6);
        Member a = new Member("billing", "a");
        Member b = new Member("billing", "b");
        Member c = new Member("billing", "c");
        settle("billing", a, b, c);

        assertThat(List.of(a.owned, b.owned, c.owned)).allSatisfy(owned -> assertThat(owned).hasSize(2));
        Set<Integer> all = new TreeSet<>(a.owned);
        all.addAll(b.owned);
        all.addAll(c.owned);
        assertThat(all).as("each partition owned by exactly one member").containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(consumerGroup("billing").state()).isEqualTo(ConsumerGroupState.STABLE);
        assertThat(ctx.shard.group("billing")).as("the shard's map holds the consumer group").isSameAs(consumerGroup("billing"));

        ShardTestContext reloaded = ctx.reload();
        assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
        assertThat(reloaded.shard.consumerGroups().group("billing").member("b").assigned())
            .isEqualTo(consumerGroup("billing").member("b").assigned());
    }

    @Test
    void aSilentMemberIsRemovedAfterItsSessionTimeoutAndItsPartitionsMove() {
        topics(4);
        Member a = new Member("billing", "a");
        Member b = new Member("billing", "b");
        settle("billing", a, b);
        assertThat(a.owned).hasSize(2);

        ctx.advance(SESSION_TIMEOUT_MS - 1000);
        a.heartbeat("billing");
        ctx.advance(1000); // b has been silent for its whole session timeout
        assertThat(consumerGroup("billing").members()).containsOnlyKeys("a");
        settle("billing", a);
        assertThat(a.owned).containsExactly(0, 1, 2, 3);
    }

    @Test
    void afterAReloadEveryMemberGetsAFreshSessionTimeout() {
        topics(2);
        Member a = new Member("billing", "a");
        settle("billing", a);
        ctx.advance(SESSION_TIMEOUT_MS - 1);

        ShardTestContext reloaded = ctx.reload();
        assertThat(reloaded.timer.deadline("consumer-session-timeout-billing-a")).contains(reloaded.now() + SESSION_TIMEOUT_MS);
        reloaded.advance(SESSION_TIMEOUT_MS - 1);
        assertThat(reloaded.shard.consumerGroups().group("billing").members()).containsOnlyKeys("a");
        reloaded.advance(1);
        assertThat(reloaded.shard.consumerGroups().group("billing").members()).isEmpty();
        assertThat(reloaded.shard.group("billing").stateName()).isEqualTo("Empty");
    }

    @Test
    void aMemberThatLeavesStopsItsTimersAndTheOthersTakeItsPartitions() {
        topics(2);
        Member a = new Member("billing", "a");
        Member b = new Member("billing", "b");
        settle("billing", a, b);

        ConsumerGroupHeartbeatResponseData left = ctx.consumerHeartbeat(leave("billing", "b"));
        assertThat(left.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(ctx.timer.isScheduled("consumer-session-timeout-billing-b")).isFalse();
        settle("billing", a);
        assertThat(a.owned).containsExactly(0, 1);
    }

    @Test
    void partitionsAddedToTheTopicAreAssignedOnTheNextHeartbeat() {
        topics(2);
        Member a = new Member("billing", "a");
        Member b = new Member("billing", "b");
        settle("billing", a, b);
        int epoch = consumerGroup("billing").groupEpoch();

        topics(4);
        settle("billing", a, b);
        assertThat(consumerGroup("billing").groupEpoch()).isGreaterThan(epoch);
        assertThat(a.owned).hasSize(2);
        assertThat(b.owned).hasSize(2);
    }

    @Test
    void aTopicCreatedAfterTheMembersSubscribedIsAssignedOnTheNextHeartbeat() {
        Member a = new Member("billing", "a");
        settle("billing", a);
        assertThat(a.owned).as("no such topic yet").isEmpty();

        topics(3);
        settle("billing", a);
        assertThat(a.owned).containsExactly(0, 1, 2);
        assertThat(consumerGroup("billing").subscriptionMetadata()).containsOnlyKeys("orders");
    }

    @Test
    void offsetCommitsAndFetchesOfMembersAreCheckedAgainstTheirMemberEpoch() {
        topics(2);
        Member a = new Member("billing", "a");
        settle("billing", a);

        assertThat(ShardTestContext.commitError(ctx.commit(10, "billing", "a", null, a.epoch, "orders", 0, 5, null)))
            .isEqualTo(Errors.NONE.code);
        assertThat(ctx.committed("billing", "orders", 0)).isEqualTo(5);
        assertThat(ShardTestContext.commitError(ctx.commit(10, "billing", "a", null, a.epoch - 1, "orders", 0, 6, null)))
            .isEqualTo(Errors.STALE_MEMBER_EPOCH.code);
        assertThat(ShardTestContext.commitError(ctx.commit(10, "billing", "ghost", null, a.epoch, "orders", 0, 6, null)))
            .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ShardTestContext.commitError(ctx.commit(10, "billing", "", null, -1, "orders", 0, 6, null)))
            .as("no commits from outside the group while it has members").isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ShardTestContext.commitError(ctx.commit(8, "billing", "a", null, a.epoch, "orders", 0, 6, null)))
            .as("members of consumer groups commit with version 9 or later").isEqualTo(Errors.UNSUPPORTED_VERSION.code);
        assertThat(ctx.committed("billing", "orders", 0)).isEqualTo(5);

        List<OffsetFetchRequestData.OffsetFetchRequestTopics> orders = List.of(new OffsetFetchRequestData.OffsetFetchRequestTopics()
            .setName("orders").setPartitionIndexes(new ArrayList<>(List.of(0))));
        assertThat(ctx.shard.offsets().fetch("billing", "a", a.epoch, orders).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.shard.offsets().fetch("billing", "a", a.epoch + 1, orders).errorCode()).isEqualTo(Errors.STALE_MEMBER_EPOCH.code);
        assertThat(ctx.shard.offsets().fetch("billing", "ghost", 1, orders).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ctx.shard.offsets().fetch("billing", null, -1, orders).errorCode()).as("admin tools").isEqualTo(Errors.NONE.code);

        ctx.consumerHeartbeat(leave("billing", "a"));
        assertThat(ShardTestContext.commitError(ctx.commit(10, "billing", "", null, -1, "orders", 0, 7, null)))
            .as("an empty group takes commits from tools").isEqualTo(Errors.NONE.code);
        assertThat(ctx.reload().committed("billing", "orders", 0)).isEqualTo(7);
    }

    @Test
    void offsetsOfAnEmptyConsumerGroupExpireAndThenTheGroupGoes() {
        ShardTestContext expiring = new ShardTestContext(GroupConfig.defaults().withInitialRebalanceDelayMs(0).withOffsetsRetentionMs(60_000));
        expiring.topics = TopicsView.of(1, List.of(new TopicsView.TopicInfo(ORDERS, "orders", 2)));
        ConsumerGroupHeartbeatResponseData joined = expiring.consumerHeartbeat(join("billing", "a"));
        expiring.commit(10, "billing", "a", null, joined.memberEpoch(), "orders", 0, 5, null);
        expiring.advance(30_000);
        expiring.consumerHeartbeat(heartbeat("billing", "a", joined.memberEpoch(), partitions(joined)));
        expiring.advance(31_000);
        expiring.commit(expiring.shard.expireOffsets(expiring.now()));
        assertThat(expiring.committed("billing", "orders", 0)).as("a subscribed topic's offsets stay").isEqualTo(5);

        expiring.consumerHeartbeat(leave("billing", "a"));
        expiring.commit(expiring.shard.expireOffsets(expiring.now()));
        assertThat(expiring.committed("billing", "orders", 0)).as("retention counts from the commit").isEqualTo(-1);
        assertThat(expiring.shard.group("billing")).as("an empty group without offsets goes").isNull();
        assertThat(expiring.reload().shard.group("billing")).isNull();
    }

    @Test
    void deleteGroupsRemovesAnEmptyConsumerGroupWithItsOffsetsButNotOneWithMembers() {
        topics(2);
        Member a = new Member("billing", "a");
        settle("billing", a);
        ctx.commit(10, "billing", "a", null, a.epoch, "orders", 1, 9, null);

        List<DeleteGroupsResponseData.DeletableGroupResult> refused = ctx.write((s, now) -> s.deleteGroups(List.of("billing")));
        assertThat(refused.get(0).errorCode()).isEqualTo(Errors.NON_EMPTY_GROUP.code);

        ctx.consumerHeartbeat(leave("billing", "a"));
        List<DeleteGroupsResponseData.DeletableGroupResult> deleted = ctx.write((s, now) -> s.deleteGroups(List.of("billing")));
        assertThat(deleted.get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.shard.group("billing")).isNull();
        assertThat(consumerGroup("billing")).isNull();
        assertThat(ctx.committed("billing", "orders", 1)).isEqualTo(-1);
        ShardTestContext reloaded = ctx.reload();
        assertThat(reloaded.shard.group("billing")).isNull();
        assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
    }

    @Test
    void listAndDescribeTellConsumerGroupsFromClassicGroups() {
        topics(2);
        new Member("billing", "a");
        ctx.commit(9, "standalone", "", null, -1, "orders", 0, 1, null);

        List<ListGroupsResponseData.ListedGroup> consumers = ctx.shard.listGroups(List.of(), List.of(GroupType.CONSUMER));
        assertThat(consumers).singleElement().satisfies(listed -> {
            assertThat(listed.groupId()).isEqualTo("billing");
            assertThat(listed.groupType()).isEqualTo("consumer");
            assertThat(listed.protocolType()).isEqualTo("consumer");
        });
        assertThat(ctx.shard.listGroups(List.of("reconciling", "stable"), List.of())).extracting(ListGroupsResponseData.ListedGroup::groupId)
            .containsExactly("billing");
        assertThat(ctx.shard.listGroups(List.of(), List.of(GroupType.CLASSIC))).extracting(ListGroupsResponseData.ListedGroup::groupId)
            .containsExactly("standalone");

        assertThat(ctx.shard.describeGroup("billing").errorCode()).as("DescribeGroups is for classic groups")
            .isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        List<ConsumerGroupDescribeResponseData.DescribedGroup> described = ctx.shard.consumerGroups()
            .describe(List.of("billing", "standalone", "nobody"));
        assertThat(described.get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(described.get(0).members()).singleElement().satisfies(member -> {
            assertThat(member.memberId()).isEqualTo("a");
            assertThat(member.assignment().topicPartitions()).singleElement()
                .satisfies(topic -> assertThat(topic.topicName()).isEqualTo("orders"));
        });
        assertThat(described.get(1).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(described.get(1).errorMessage()).isEqualTo("Group standalone is not a consumer group.");
        assertThat(described.get(2).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
    }

    @Test
    void aHeartbeatToAClassicGroupWithMembersIsRefusedAndAJoinGroupToAConsumerGroupWithMembersToo() {
        topics(2);
        JoinGroupResponseData classicMember = joinClassic("classic");
        assertThat(classicMember.errorCode()).isEqualTo(Errors.NONE.code);
        ConsumerGroupHeartbeatResponseData refused = ctx.consumerHeartbeat(join("classic", "x"));
        assertThat(refused.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(refused.errorMessage()).isEqualTo("Group classic is not a consumer group.");

        new Member("billing", "a");
        JoinGroupResponseData inconsistent = ctx.join("billing", "", null, ShardTestContext.subscription("orders")).join();
        assertThat(inconsistent.errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code);
        assertThat(consumerGroup("billing").members()).containsOnlyKeys("a");
    }

    @Test
    void anEmptyClassicGroupBecomesAConsumerGroupAndKeepsItsOffsets() {
        topics(2);
        ctx.commit(9, "billing", "", null, -1, "orders", 0, 42, null); // offsets reset by a tool: an empty classic group
        assertThat(ctx.shard.group("billing").type()).isEqualTo(GroupType.CLASSIC);

        Member a = new Member("billing", "a");
        assertThat(ctx.shard.group("billing")).isSameAs(consumerGroup("billing"));
        assertThat(a.owned).containsExactly(0, 1);
        assertThat(ctx.committed("billing", "orders", 0)).isEqualTo(42);

        ShardTestContext reloaded = ctx.reload();
        assertThat(reloaded.shard.group("billing").type()).isEqualTo(GroupType.CONSUMER);
        assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
    }

    @Test
    void aConsumerGroupRecordReplacesTheOffsetsOnlyGroupItsOffsetsCreatedAtLoad() {
        // After compaction the log may hold a group's offsets before its consumer group records.
        topics(2);
        Member a = new Member("billing", "a");
        ctx.commit(10, "billing", "a", null, a.epoch, "orders", 0, 3, null);
        List<CoordinatorRecord> reordered = new ArrayList<>(ctx.log.subList(ctx.log.size() - 1, ctx.log.size()));
        reordered.addAll(ctx.log.subList(0, ctx.log.size() - 1));
        GroupCoordinatorShard shard = new GroupCoordinatorShard(0, ctx.config, new ManualTimer(0), () -> ctx.topics);
        reordered.forEach(shard::replay);
        shard.onLoaded(0);
        assertThat(shard.group("billing")).isSameAs(shard.consumerGroups().group("billing"));
        assertThat(shard.offsets().fetch("billing", "a", a.epoch, null).topics()).hasSize(1);
    }

    @Test
    void anEmptyConsumerGroupBecomesAClassicGroupOnJoinGroup() {
        topics(2);
        Member a = new Member("billing", "a");
        ctx.commit(10, "billing", "a", null, a.epoch, "orders", 0, 8, null);
        ctx.consumerHeartbeat(leave("billing", "a"));

        JoinGroupResponseData joined = joinClassic("billing");
        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.group("billing").state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);
        assertThat(consumerGroup("billing")).as("the consumer group's records are deleted").isNull();
        assertThat(ctx.committed("billing", "orders", 0)).isEqualTo(8);
        ctx.sync("billing", joined.memberId(), null, joined.generationId(), Map.of(joined.memberId(), ShardTestContext.bytes("p")));

        ShardTestContext reloaded = ctx.reload();
        assertThat(reloaded.shard.group("billing").type()).isEqualTo(GroupType.CLASSIC);
        assertThat(reloaded.shard.consumerGroups().group("billing")).isNull();
        assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
    }

    @Test
    void aMalformedRequestIsRefusedAsSuchWhateverTheGroupIdNames() {
        ctx.commit(9, "standalone", "", null, -1, "orders", 0, 1, null);
        joinClassic("classic");
        ConsumerGroupHeartbeatResponseData invalid = ctx.consumerHeartbeat(join("classic", "m").setRebalanceTimeoutMs(-1));
        assertThat(invalid.errorCode()).isEqualTo(Errors.INVALID_REQUEST.code);
        assertThat(ctx.consumerHeartbeat(join("g", "m").setServerAssignor("sticky")).errorCode())
            .isEqualTo(Errors.UNSUPPORTED_ASSIGNOR.code);
        assertThat(ctx.shard.group("g")).isNull();
    }
}
