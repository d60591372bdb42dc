package dev.borges.broker.group.offsets;

import static dev.borges.broker.group.ShardTestContext.bytes;
import static dev.borges.broker.group.ShardTestContext.commitError;
import static dev.borges.broker.group.ShardTestContext.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.GroupType;
import dev.borges.broker.group.ShardTestContext;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.DeleteGroupsResponseData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.OffsetDeleteRequestData;
import dev.borges.protocol.message.OffsetDeleteResponseData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** OffsetCommit, OffsetFetch, OffsetDelete, DeleteGroups and offset expiry on one shard. */
class CommittedOffsetsTest {
    private static final String GROUP = "billing";

    private final ShardTestContext ctx = new ShardTestContext(GroupConfig.defaults().withInitialRebalanceDelayMs(0)
        .withOffsetsRetentionMs(60_000));

    @Test
    void aCommitFromOutsideGroupManagementCreatesAGroupThatHoldsTheOffsets() {
        assertThat(commitError(ctx.commit(9, GROUP, "", null, -1, "orders", 0, 42, "note"))).isEqualTo(Errors.NONE.code);
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(42);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(-1);
        assertThat(ctx.committed("other", "orders", 0)).isEqualTo(-1);
        assertThat(ctx.shard.listGroups(List.of(), List.of())).singleElement().satisfies(listed -> {
            assertThat(listed.groupId()).isEqualTo(GROUP);
            assertThat(listed.groupState()).isEqualTo("Empty");
            assertThat(listed.protocolType()).isEmpty();
            assertThat(listed.groupType()).isEqualTo("classic");
        });
        OffsetFetchResponseData.OffsetFetchResponseGroup all = ctx.shard.offsets().fetch(GROUP, null);
        assertThat(all.topics()).singleElement().satisfies(topic -> {
            assertThat(topic.name()).isEqualTo("orders");
            assertThat(topic.partitions()).singleElement().satisfies(p -> {
                assertThat(p.committedOffset()).isEqualTo(42);
                assertThat(p.metadata()).isEqualTo("note");
                assertThat(p.committedLeaderEpoch()).isEqualTo(3);
            });
        });
    }

    @Test
    void membersCommitWithTheirGenerationAndOthersAreRefused() {
        JoinGroupResponseData member = ctx.stableMember(GROUP, "orders");
        assertThat(commitError(ctx.commit(9, GROUP, member.memberId(), null, 1, "orders", 0, 10, null))).isEqualTo(Errors.NONE.code);
        assertThat(commitError(ctx.commit(9, GROUP, member.memberId(), null, 0, "orders", 0, 11, null)))
            .isEqualTo(Errors.ILLEGAL_GENERATION.code);
        assertThat(commitError(ctx.commit(9, GROUP, "stranger", null, 1, "orders", 0, 12, null)))
            .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(commitError(ctx.commit(9, GROUP, "", null, -1, "orders", 0, 13, null)))
            .as("a standalone commit to a group with members").isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(commitError(ctx.commit(9, GROUP, member.memberId(), null, 1, "orders", 0, 14, "x".repeat(4097))))
            .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE.code);
        assertThat(ctx.committed(GROUP, "orders", 0)).as("only the valid commit counted").isEqualTo(10);
    }

    @Test
    void commitsDuringCompletingRebalanceAskTheMemberToFinishTheRebalance() {
        CompletableFuture<JoinGroupResponseData> join = ctx.joinNew(GROUP, subscription("orders"));
        ctx.advance(0);
        assertThat(commitError(ctx.commit(9, GROUP, join.join().memberId(), null, 1, "orders", 0, 1, null)))
            .isEqualTo(Errors.REBALANCE_IN_PROGRESS.code);
    }

    @Test
    void aCommitWithAGenerationToAGroupThatDoesNotExistDependsOnTheVersion() {
        assertThat(commitError(ctx.commit(9, "ghost", "m", null, 3, "orders", 0, 1, null))).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(commitError(ctx.commit(8, "ghost", "m", null, 3, "orders", 0, 1, null))).isEqualTo(Errors.ILLEGAL_GENERATION.code);
        assertThat(ctx.shard.group("ghost")).isNull();
    }

    @Test
    void offsetsOfAnEmptyGroupExpireAfterTheRetentionAndTheGroupGoes() {
        JoinGroupResponseData member = ctx.stableMember(GROUP, "orders");
        ctx.commit(9, GROUP, member.memberId(), null, 1, "orders", 0, 10, null);
        ctx.advance(120_000 - 1); // heartbeats are not sent: the member times out and the group becomes empty
        assertThat(ctx.group(GROUP).isEmpty()).isTrue();
        long emptySince = ctx.group(GROUP).currentStateTimestampMs();
        ctx.shard.expireOffsets(ctx.now()); // nothing yet: no records were written
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(10);
        ctx.advance(emptySince + 60_000 - ctx.now() - 1);
        ctx.commit(ctx.shard.expireOffsets(ctx.now()));
        assertThat(ctx.committed(GROUP, "orders", 0)).as("one ms before the retention ends").isEqualTo(10);
        ctx.advance(1);
        ctx.commit(ctx.shard.expireOffsets(ctx.now()));
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(-1);
        assertThat(ctx.shard.group(GROUP)).as("an empty group without offsets is removed").isNull();
        assertThat(ctx.reload().shard.group(GROUP)).isNull();
    }

    @Test
    void offsetsOfAGroupWithMembersDoNotExpireForTopicsItConsumes() {
        JoinGroupResponseData member = ctx.stableMember(GROUP, "orders");
        ctx.commit(9, GROUP, member.memberId(), null, 1, "orders", 0, 10, null);
        ctx.commit(9, GROUP, member.memberId(), null, 1, "legacy", 0, 5, null);
        for (int i = 0; i < 30; i++) {
            ctx.advance(3000);
            ctx.heartbeat(GROUP, member.memberId(), null, 1);
        }
        ctx.commit(ctx.shard.expireOffsets(ctx.now()));
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(10);
        assertThat(ctx.committed(GROUP, "legacy", 0)).as("a topic nobody consumes any more").isEqualTo(-1);
    }

    @Test
    void theExpiryTimerRunsEveryCheckInterval() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 42, null);
        ctx.shard.onLoaded(ctx.now());
        ctx.advance(GroupConfig.defaults().offsetsRetentionCheckIntervalMs());
        assertThat(ctx.committed(GROUP, "orders", 0)).as("the retention (60 s) is shorter than the interval").isEqualTo(-1);
    }

    @Test
    void offsetDeleteRefusesTopicsTheGroupConsumes() {
        JoinGroupResponseData member = ctx.stableMember(GROUP, "orders");
        ctx.commit(9, GROUP, member.memberId(), null, 1, "orders", 0, 10, null);
        ctx.commit(9, GROUP, member.memberId(), null, 1, "old", 0, 7, null);
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId(GROUP);
        request.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders")
            .setPartitions(new java.util.ArrayList<>(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0)))));
        request.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("old")
            .setPartitions(new java.util.ArrayList<>(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(0)))));
        OffsetDeleteResponseData response = ctx.write((s, now) -> s.offsets().delete(request));
        assertThat(response.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(response.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.GROUP_SUBSCRIBED_TO_TOPIC.code);
        assertThat(response.topics().get(1).partitions().get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(10);
        assertThat(ctx.committed(GROUP, "old", 0)).isEqualTo(-1);

        OffsetDeleteRequestData missing = new OffsetDeleteRequestData().setGroupId("ghost");
        assertThat(ctx.write((s, now) -> s.offsets().delete(missing)).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
    }

    @Test
    void deleteGroupsRemovesEmptyGroupsWithTheirOffsetsOnly() {
        JoinGroupResponseData member = ctx.stableMember(GROUP, "orders");
        ctx.commit(9, "standalone", "", null, -1, "orders", 0, 3, null);
        List<DeleteGroupsResponseData.DeletableGroupResult> results = ctx.write((s, now) ->
            s.deleteGroups(List.of(GROUP, "standalone", "ghost")));
        assertThat(results).extracting(DeleteGroupsResponseData.DeletableGroupResult::errorCode)
            .containsExactly(Errors.NON_EMPTY_GROUP.code, Errors.NONE.code, Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(ctx.shard.group("standalone")).isNull();
        assertThat(ctx.committed("standalone", "orders", 0)).isEqualTo(-1);
        assertThat(ctx.reload().shard.group("standalone")).isNull();
        assertThat(ctx.group(GROUP).member(member.memberId())).isNotNull();
    }

    @Test
    void deletedTopicsLoseTheirCommittedOffsets() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 3, null);
        ctx.commit(9, GROUP, "", null, -1, "payments", 1, 4, null);
        ctx.write((s, now) -> s.offsets().deleteTopics(List.of("orders")));
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(-1);
        assertThat(ctx.committed(GROUP, "payments", 1)).isEqualTo(4);
    }

    @Test
    void listGroupsFiltersByStateAndType() {
        ctx.stableMember(GROUP, "orders");
        ctx.commit(9, "standalone", "", null, -1, "orders", 0, 3, null);
        assertThat(ctx.shard.listGroups(List.of("stable"), List.of())).extracting(g -> g.groupId()).containsExactly(GROUP);
        assertThat(ctx.shard.listGroups(List.of("Empty"), List.of())).extracting(g -> g.groupId()).containsExactly("standalone");
        assertThat(ctx.shard.listGroups(List.of(), List.of(GroupType.CONSUMER))).isEmpty();
        assertThat(ctx.shard.listGroups(List.of(), List.of(GroupType.CLASSIC))).hasSize(2);
    }

    @Test
    void describeShowsMembersWithMetadataAndAssignmentWhenStable() {
        JoinGroupResponseData member = ctx.stableMember(GROUP, "orders");
        var described = ctx.shard.describeGroup(GROUP);
        assertThat(described.groupState()).isEqualTo("Stable");
        assertThat(described.protocolType()).isEqualTo("consumer");
        assertThat(described.protocolData()).isEqualTo("range");
        assertThat(described.members()).singleElement().satisfies(m -> {
            assertThat(m.memberId()).isEqualTo(member.memberId());
            assertThat(m.clientId()).isEqualTo("client");
            assertThat(m.clientHost()).isEqualTo("/127.0.0.1");
            assertThat(m.memberMetadata()).isEqualTo(subscription("orders"));
            assertThat(m.memberAssignment()).isEqualTo(bytes("all"));
        });
        assertThat(ctx.shard.describeGroup("ghost")).isNull();
    }
}
