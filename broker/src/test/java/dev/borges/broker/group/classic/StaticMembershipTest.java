package dev.borges.broker.group.classic;

import static dev.borges.broker.group.ShardTestContext.SESSION_TIMEOUT_MS;
import static dev.borges.broker.group.ShardTestContext.bytes;
import static dev.borges.broker.group.ShardTestContext.protocol;
import static dev.borges.broker.group.ShardTestContext.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.ShardTestContext;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.JoinGroupResponseData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Static members (KIP-345): a restart within the session timeout keeps the assignment without a rebalance. */
class StaticMembershipTest {
    private static final String GROUP = "static-app";
    private static final byte[] SUB = subscription("orders");

    private final ShardTestContext ctx = ShardTestContext.create();
    private String leaderId;
    private String followerId;

    /** Two static members, "instance-a" (leader) and "instance-b", Stable at generation 1 with p0 / p1. */
    @BeforeEach
    void stableGroupOfTwoStaticMembers() {
        CompletableFuture<JoinGroupResponseData> a = ctx.join(GROUP, "", "instance-a", SUB);
        CompletableFuture<JoinGroupResponseData> b = ctx.join(GROUP, "", "instance-b", SUB);
        ctx.advance(0);
        assertThat(a.join().errorCode()).as("static members need no MEMBER_ID_REQUIRED round trip").isEqualTo(Errors.NONE.code);
        leaderId = a.join().leader();
        assertThat(leaderId).isEqualTo(a.join().memberId());
        followerId = b.join().memberId();
        ctx.sync(GROUP, leaderId, "instance-a", 1, Map.of(leaderId, bytes("p0"), followerId, bytes("p1")));
        assertThat(ctx.sync(GROUP, followerId, "instance-b", 1, Map.of()).join().assignment()).isEqualTo(bytes("p1"));
    }

    @Test
    void aRestartedFollowerTakesOverItsPlaceWithoutARebalance() {
        int recordsBefore = ctx.log.size();
        JoinGroupResponseData rejoined = ctx.join(GROUP, "", "instance-b", SUB).join();

        assertThat(rejoined.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(rejoined.memberId()).isNotEqualTo(followerId);
        assertThat(rejoined.generationId()).as("same generation: no rebalance").isEqualTo(1);
        assertThat(rejoined.leader()).isEqualTo(leaderId);
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(ctx.log).as("the new member id is recorded").hasSize(recordsBefore + 1);
        assertThat(ctx.sync(GROUP, rejoined.memberId(), "instance-b", 1, Map.of()).join().assignment())
            .as("it keeps its partitions").isEqualTo(bytes("p1"));
        assertThat(ctx.heartbeat(GROUP, leaderId, "instance-a", 1)).isEqualTo(Errors.NONE.code);

        assertThat(ctx.heartbeat(GROUP, followerId, "instance-b", 1)).as("the old incarnation is fenced")
            .isEqualTo(Errors.FENCED_INSTANCE_ID.code);
        assertThat(ShardTestContext.commitError(ctx.commit(9, GROUP, followerId, "instance-b", 1, "orders", 0, 5, "")))
            .isEqualTo(Errors.FENCED_INSTANCE_ID.code);
        assertThat(ctx.sync(GROUP, followerId, "instance-b", 1, Map.of()).join().errorCode()).isEqualTo(Errors.FENCED_INSTANCE_ID.code);
        assertThat(ctx.join(GROUP, followerId, "instance-b", SUB).join().errorCode()).isEqualTo(Errors.FENCED_INSTANCE_ID.code);
    }

    @Test
    void aRestartedLeaderIsToldToSkipTheAssignmentFromJoinGroupVersion9() {
        JoinGroupResponseData v9 = ctx.join(GROUP, "", "instance-a", SUB).join();
        assertThat(v9.leader()).isEqualTo(v9.memberId());
        assertThat(v9.skipAssignment()).isTrue();
        assertThat(v9.members()).hasSize(2);

        JoinGroupResponseData v8 = ctx.join(8, "client", GROUP, "", "instance-a", "consumer", List.of(protocol("range", SUB)),
            SESSION_TIMEOUT_MS).join();
        assertThat(v8.skipAssignment()).isFalse();
        assertThat(v8.leader()).as("before v9 the old leader id keeps it from assigning").isEqualTo(v9.memberId())
            .isNotEqualTo(v8.memberId());
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.STABLE);
    }

    @Test
    void aStaticMemberThatChangesTheSelectedProtocolRebalances() {
        JoinGroupResponseData first = ctx.join(9, "client", GROUP, "", "instance-b", "consumer",
            List.of(protocol("range", SUB)), SESSION_TIMEOUT_MS).join();
        assertThat(first.generationId()).isEqualTo(1);
        CompletableFuture<JoinGroupResponseData> changed = ctx.join(9, "client", GROUP, first.memberId(), "instance-b", "consumer",
            List.of(protocol("range", subscription("orders", "payments"))), SESSION_TIMEOUT_MS);
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(changed).isNotDone();
    }

    @Test
    void aStaticMemberThatDoesNotRejoinKeepsItsPlaceThroughARebalance() {
        // instance-b restarts with a session timeout longer than the rebalance timeout, then goes quiet;
        // the leader rejoins (as after a metadata change) and the join phase runs out.
        ctx.join(9, "client", GROUP, "", "instance-b", "consumer", List.of(protocol("range", SUB)), 45_000).join();
        CompletableFuture<JoinGroupResponseData> leaderRejoin = ctx.join(GROUP, leaderId, "instance-a", SUB);
        ctx.advance(ShardTestContext.REBALANCE_TIMEOUT_MS);
        JoinGroupResponseData joined = leaderRejoin.join();
        assertThat(joined.generationId()).isEqualTo(2);
        assertThat(joined.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::groupInstanceId)
            .as("the absent static member stays in the group").containsExactlyInAnyOrder("instance-a", "instance-b");
    }

    @Test
    void aStaticMemberLeavesByInstanceId() {
        var response = ctx.leave(GROUP, "", "instance-b");
        assertThat(response.members().get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.group(GROUP).size()).isEqualTo(1);
        assertThat(ctx.leave(GROUP, "wrong-id", "instance-a").members().get(0).errorCode()).isEqualTo(Errors.FENCED_INSTANCE_ID.code);
    }

    @Test
    void aStaticMemberMissingItsSessionTimeoutIsRemoved() {
        ctx.advance(SESSION_TIMEOUT_MS / 2);
        ctx.heartbeat(GROUP, leaderId, "instance-a", 1);
        ctx.advance(SESSION_TIMEOUT_MS / 2);
        assertThat(ctx.group(GROUP).member(followerId)).isNull();
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void replayingTheLogGivesTheSameGroupAfterAReplacement() {
        ctx.join(GROUP, "", "instance-b", SUB).join();
        ShardTestContext reloaded = ctx.reload();
        assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
        assertThat(reloaded.group(GROUP).state()).isEqualTo(ClassicGroupState.STABLE);
        String current = reloaded.group(GROUP).staticMemberId("instance-b");
        assertThat(reloaded.heartbeat(GROUP, current, "instance-b", 1)).isEqualTo(Errors.NONE.code);
        assertThat(reloaded.heartbeat(GROUP, followerId, "instance-b", 1)).isEqualTo(Errors.FENCED_INSTANCE_ID.code);
    }
}
