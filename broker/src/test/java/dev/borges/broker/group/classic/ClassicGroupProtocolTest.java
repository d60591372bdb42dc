package dev.borges.broker.group.classic;

import static dev.borges.broker.group.ShardTestContext.REBALANCE_TIMEOUT_MS;
import static dev.borges.broker.group.ShardTestContext.SESSION_TIMEOUT_MS;
import static dev.borges.broker.group.ShardTestContext.bytes;
import static dev.borges.broker.group.ShardTestContext.protocol;
import static dev.borges.broker.group.ShardTestContext.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.ShardTestContext;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.LeaveGroupResponseData;
import dev.borges.protocol.message.SyncGroupResponseData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The classic rebalance protocol on one shard, with time advanced by hand. */
class ClassicGroupProtocolTest {
    private static final String GROUP = "orders-app";
    private static final byte[] SUB = subscription("orders");

    private final ShardTestContext ctx = ShardTestContext.create();

    /** Joins one dynamic member and completes its first generation; returns its join answer. */
    private JoinGroupResponseData stableSingleMember() {
        CompletableFuture<JoinGroupResponseData> join = ctx.joinNew(GROUP, SUB);
        ctx.advance(0); // the initial delay (0 here) ends the join phase
        JoinGroupResponseData joined = join.join();
        SyncGroupResponseData synced = ctx.sync(GROUP, joined.memberId(), null, joined.generationId(),
            Map.of(joined.memberId(), bytes("all"))).join();
        assertThat(synced.errorCode()).isEqualTo(Errors.NONE.code);
        return joined;
    }

    /** The two members of generation 1. */
    private record TwoMembers(String leader, String follower) {
    }

    /**
     * Joins two dynamic members into generation 1 and has the leader sync the assignment ({@code p0}
     * for itself, {@code p1} for the follower); the follower has not synced yet.
     */
    private TwoMembers twoMembersWhoseLeaderSynced() {
        CompletableFuture<JoinGroupResponseData> a = ctx.joinNew(GROUP, SUB);
        CompletableFuture<JoinGroupResponseData> b = ctx.joinNew(GROUP, SUB);
        ctx.advance(0);
        String leader = a.join().leader();
        String follower = a.join().memberId().equals(leader) ? b.join().memberId() : a.join().memberId();
        ctx.sync(GROUP, leader, null, 1, Map.of(leader, bytes("p0"), follower, bytes("p1")));
        return new TwoMembers(leader, follower);
    }

    @Test
    void newMemberGetsAnIdFirstThenJoinsAndLeadsTheFirstGeneration() {
        JoinGroupResponseData first = ctx.join(GROUP, "", null, SUB).join();
        assertThat(first.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code);
        assertThat(first.memberId()).startsWith("client-");

        CompletableFuture<JoinGroupResponseData> second = ctx.join(GROUP, first.memberId(), null, SUB);
        assertThat(second).as("the join phase waits for the initial delay").isNotDone();
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        ctx.advance(0);

        JoinGroupResponseData joined = second.join();
        assertThat(joined.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(joined.generationId()).isEqualTo(1);
        assertThat(joined.leader()).isEqualTo(first.memberId());
        assertThat(joined.protocolName()).isEqualTo("range");
        assertThat(joined.protocolType()).isEqualTo("consumer");
        assertThat(joined.members()).extracting(JoinGroupResponseData.JoinGroupResponseMember::memberId)
            .containsExactly(first.memberId());
        assertThat(joined.members().get(0).metadata()).isEqualTo(SUB);
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.COMPLETING_REBALANCE);

        SyncGroupResponseData synced = ctx.sync(GROUP, joined.memberId(), null, 1, Map.of(joined.memberId(), bytes("p0,p1"))).join();
        assertThat(synced.assignment()).isEqualTo(bytes("p0,p1"));
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(ctx.heartbeat(GROUP, joined.memberId(), null, 1)).isEqualTo(Errors.NONE.code);
        assertThat(ctx.log).as("the assignment is recorded").hasSize(1);
    }

    @Test
    void followersWaitInSyncGroupForTheLeadersAssignment() {
        CompletableFuture<JoinGroupResponseData> a = ctx.joinNew(GROUP, SUB);
        CompletableFuture<JoinGroupResponseData> b = ctx.joinNew(GROUP, SUB);
        ctx.advance(0);
        JoinGroupResponseData leader = a.join().leader().equals(a.join().memberId()) ? a.join() : b.join();
        JoinGroupResponseData follower = leader == a.join() ? b.join() : a.join();
        assertThat(leader.members()).hasSize(2);
        assertThat(follower.members()).as("only the leader sees the members").isEmpty();
        assertThat(follower.generationId()).isEqualTo(leader.generationId()).isEqualTo(1);

        CompletableFuture<SyncGroupResponseData> followerSync = ctx.sync(GROUP, follower.memberId(), null, 1, Map.of());
        assertThat(followerSync).isNotDone();
        SyncGroupResponseData leaderSync = ctx.sync(GROUP, leader.memberId(), null, 1,
            Map.of(leader.memberId(), bytes("p0"), follower.memberId(), bytes("p1"))).join();

        assertThat(leaderSync.assignment()).isEqualTo(bytes("p0"));
        assertThat(followerSync.join().assignment()).isEqualTo(bytes("p1"));
        assertThat(followerSync.join().protocolName()).isEqualTo("range");
    }

    @Test
    void aNewMemberMakesTheOthersRejoinAndTheGenerationGoesUp() {
        JoinGroupResponseData first = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> newcomer = ctx.joinNew(GROUP, SUB);
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
        assertThat(ctx.heartbeat(GROUP, first.memberId(), null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code);
        assertThat(newcomer).isNotDone();

        CompletableFuture<JoinGroupResponseData> rejoin = ctx.join(GROUP, first.memberId(), null, SUB);
        assertThat(rejoin.join().generationId()).as("everyone rejoined: no waiting").isEqualTo(2);
        assertThat(newcomer.join().generationId()).isEqualTo(2);
        assertThat(rejoin.join().leader()).isEqualTo(first.memberId());
        assertThat(ctx.heartbeat(GROUP, first.memberId(), null, 1)).isEqualTo(Errors.ILLEGAL_GENERATION.code);
    }

    @Test
    void aMemberThatDoesNotRejoinInTimeIsDropped() {
        JoinGroupResponseData first = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> newcomer = ctx.joinNew(GROUP, SUB);
        // The first member keeps heartbeating but never rejoins.
        for (int elapsed = 0; elapsed < REBALANCE_TIMEOUT_MS - 3000; elapsed += 3000) {
            ctx.advance(3000);
            assertThat(ctx.heartbeat(GROUP, first.memberId(), null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code);
        }
        ctx.advance(2999);
        assertThat(newcomer).isNotDone();
        ctx.advance(1);
        JoinGroupResponseData joined = newcomer.join();
        assertThat(joined.generationId()).isEqualTo(2);
        assertThat(joined.leader()).as("leadership moves to a member that rejoined").isEqualTo(joined.memberId());
        assertThat(joined.members()).hasSize(1);
        assertThat(ctx.heartbeat(GROUP, first.memberId(), null, 2)).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
    }

    @Test
    void aSilentMemberIsRemovedAfterItsSessionTimeoutAndTheGroupRebalances() {
        TwoMembers members = twoMembersWhoseLeaderSynced();
        String leader = members.leader();
        String alive = members.follower();
        ctx.sync(GROUP, alive, null, 1, Map.of());

        for (int i = 0; i < 3; i++) {
            ctx.advance(3000);
            assertThat(ctx.heartbeat(GROUP, alive, null, 1)).isEqualTo(Errors.NONE.code);
        }
        assertThat(ctx.group(GROUP).member(leader)).isNotNull();
        ctx.advance(SESSION_TIMEOUT_MS - 9000);
        assertThat(ctx.group(GROUP).member(leader)).as("the leader stopped heartbeating").isNull();
        assertThat(ctx.heartbeat(GROUP, alive, null, 1)).isEqualTo(Errors.REBALANCE_IN_PROGRESS.code);
        JoinGroupResponseData rejoined = ctx.join(GROUP, alive, null, SUB).join();
        assertThat(rejoined.generationId()).isEqualTo(2);
        assertThat(rejoined.leader()).isEqualTo(alive);
    }

    @Test
    void whenTheLastMemberLeavesTheGroupIsEmptyAndThatIsRecorded() {
        JoinGroupResponseData member = stableSingleMember();
        LeaveGroupResponseData left = ctx.leave(GROUP, member.memberId(), null);
        assertThat(left.members().get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(ctx.group(GROUP).generationId()).isEqualTo(2);
        assertThat(ctx.log).hasSize(2);
        assertThat(ctx.leave(GROUP, member.memberId(), null).members().get(0).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
    }

    @Test
    void errorsLeaveTheGroupAsItWas() {
        JoinGroupResponseData member = stableSingleMember();
        Object before = ctx.durableSnapshot();

        assertThat(ctx.heartbeat(GROUP, "nobody", null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ctx.heartbeat(GROUP, member.memberId(), null, 7)).isEqualTo(Errors.ILLEGAL_GENERATION.code);
        assertThat(ctx.heartbeat("no-such-group", member.memberId(), null, 1)).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ctx.heartbeat("", member.memberId(), null, 1)).isEqualTo(Errors.INVALID_GROUP_ID.code);
        assertThat(ctx.sync(GROUP, member.memberId(), null, 0, Map.of()).join().errorCode()).isEqualTo(Errors.ILLEGAL_GENERATION.code);
        assertThat(ctx.sync(GROUP, "nobody", null, 1, Map.of()).join().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ctx.join(GROUP, "nobody", null, SUB).join().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ctx.join("", "", null, SUB).join().errorCode()).isEqualTo(Errors.INVALID_GROUP_ID.code);
        assertThat(ctx.join(9, "c", GROUP, "", null, "consumer", List.of(protocol("range", SUB)), 1000).join().errorCode())
            .as("below group.min.session.timeout.ms").isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code);
        assertThat(ctx.join(9, "c", GROUP, "", null, "consumer", List.of(protocol("range", SUB)), 3_600_000).join().errorCode())
            .as("above group.max.session.timeout.ms").isEqualTo(Errors.INVALID_SESSION_TIMEOUT.code);
        assertThat(ctx.join(9, "c", GROUP, "", null, "connect", List.of(protocol("range", SUB)), SESSION_TIMEOUT_MS).join().errorCode())
            .as("another protocol type").isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code);
        assertThat(ctx.join(9, "c", GROUP, "", null, "consumer", List.of(protocol("roundrobin", SUB)), SESSION_TIMEOUT_MS).join()
            .errorCode()).as("no protocol in common").isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code);
        assertThat(ctx.join(9, "c", "new-group", "", null, "", List.of(), SESSION_TIMEOUT_MS).join().errorCode())
            .isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code);
        assertThat(ctx.shard.group("new-group")).as("a failed first join leaves no group behind").isNull();

        assertThat(ctx.durableSnapshot()).isEqualTo(before);
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(ctx.heartbeat(GROUP, member.memberId(), null, 1)).isEqualTo(Errors.NONE.code);
    }

    @Test
    void syncGroupChecksProtocolTypeAndName() {
        JoinGroupResponseData member = stableSingleMember();
        dev.borges.protocol.message.SyncGroupRequestData request = new dev.borges.protocol.message.SyncGroupRequestData()
            .setGroupId(GROUP).setMemberId(member.memberId()).setGenerationId(1).setProtocolType("consumer").setProtocolName("sticky");
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        ctx.write((s, now) -> s.classicGroups().syncGroup(new dev.borges.broker.group.ClientContext("c", "h", (short) 5), request,
            response, now));
        assertThat(response.join().errorCode()).isEqualTo(Errors.INCONSISTENT_GROUP_PROTOCOL.code);
    }

    @Test
    void theProtocolMostMembersPreferAmongThoseAllSupportIsSelected() {
        var both = List.of(protocol("cooperative-sticky", SUB), protocol("range", SUB));
        var rangeFirst = List.of(protocol("range", SUB), protocol("cooperative-sticky", SUB));
        String a = ctx.join(9, "c", GROUP, "", null, "consumer", both, SESSION_TIMEOUT_MS).join().memberId();
        CompletableFuture<JoinGroupResponseData> joinA = ctx.join(9, "c", GROUP, a, null, "consumer", both, SESSION_TIMEOUT_MS);
        String b = ctx.join(9, "c", GROUP, "", null, "consumer", both, SESSION_TIMEOUT_MS).join().memberId();
        ctx.join(9, "c", GROUP, b, null, "consumer", both, SESSION_TIMEOUT_MS);
        String c = ctx.join(9, "c", GROUP, "", null, "consumer", rangeFirst, SESSION_TIMEOUT_MS).join().memberId();
        ctx.join(9, "c", GROUP, c, null, "consumer", rangeFirst, SESSION_TIMEOUT_MS);
        ctx.advance(0);
        assertThat(joinA.join().protocolName()).isEqualTo("cooperative-sticky");
    }

    @Test
    void theInitialRebalanceWaitsLongerWhileNewMembersArrive() {
        ShardTestContext delayed = new ShardTestContext(GroupConfig.defaults()); // 3000 ms initial delay
        CompletableFuture<JoinGroupResponseData> first = delayed.joinNew(GROUP, SUB);
        delayed.advance(2000);
        CompletableFuture<JoinGroupResponseData> second = delayed.joinNew(GROUP, SUB);
        delayed.advance(1000);
        assertThat(first).as("a member arrived during the delay: wait one delay more").isNotDone();
        delayed.advance(2999);
        assertThat(first).isNotDone();
        delayed.advance(1);
        assertThat(first.join().generationId()).isEqualTo(1);
        assertThat(second.join().generationId()).isEqualTo(1);
        assertThat(first.join().members().size() + second.join().members().size()).isEqualTo(2);
    }

    @Test
    void groupMaxSizeTurnsAwayMembersBeyondIt() {
        ShardTestContext small = new ShardTestContext(GroupConfig.defaults().withInitialRebalanceDelayMs(0).withMaxSize(1));
        CompletableFuture<JoinGroupResponseData> first = small.joinNew(GROUP, SUB);
        small.advance(0);
        first.join();
        assertThat(small.join(GROUP, "", null, SUB).join().errorCode()).isEqualTo(Errors.GROUP_MAX_SIZE_REACHED.code);
        assertThat(small.group(GROUP).size()).isEqualTo(1);
    }

    @Test
    void versionsBeforeFourJoinWithoutTheMemberIdRoundTrip() {
        CompletableFuture<JoinGroupResponseData> join = ctx.join(3, "old-client", GROUP, "", null, "consumer",
            List.of(protocol("range", SUB)), SESSION_TIMEOUT_MS);
        ctx.advance(0);
        assertThat(join.join().errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(join.join().memberId()).startsWith("old-client-");
    }

    @Test
    void aPendingMemberThatNeverComesBackIsForgotten() {
        JoinGroupResponseData member = stableSingleMember();
        JoinGroupResponseData pending = ctx.join(GROUP, "", null, SUB).join();
        assertThat(pending.errorCode()).isEqualTo(Errors.MEMBER_ID_REQUIRED.code);
        assertThat(ctx.group(GROUP).state()).as("a pending member does not start a rebalance").isEqualTo(ClassicGroupState.STABLE);
        ctx.advance(SESSION_TIMEOUT_MS / 2);
        assertThat(ctx.heartbeat(GROUP, member.memberId(), null, 1)).isEqualTo(Errors.NONE.code);
        ctx.advance(SESSION_TIMEOUT_MS / 2);
        assertThat(ctx.group(GROUP).isPendingMember(pending.memberId())).isFalse();
        assertThat(ctx.join(GROUP, pending.memberId(), null, SUB).join().errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(ctx.heartbeat(GROUP, member.memberId(), null, 1)).isEqualTo(Errors.NONE.code);
    }

    @Test
    void aFollowerThatNeverSyncsIsDroppedAfterTheRebalanceTimeout() {
        TwoMembers members = twoMembersWhoseLeaderSynced();
        String leader = members.leader();
        String follower = members.follower();
        for (int elapsed = 0; elapsed < REBALANCE_TIMEOUT_MS; elapsed += 3000) {
            ctx.advance(3000);
            ctx.heartbeat(GROUP, leader, null, ctx.group(GROUP).generationId());
            ctx.heartbeat(GROUP, follower, null, 1); // heartbeats alone do not count as syncing
        }
        assertThat(ctx.group(GROUP).member(follower)).isNull();
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.PREPARING_REBALANCE);
    }

    @Test
    void leaderRejoiningAStableGroupStartsARebalance() {
        JoinGroupResponseData leader = stableSingleMember();
        CompletableFuture<JoinGroupResponseData> rejoin = ctx.join(GROUP, leader.memberId(), null, SUB);
        assertThat(rejoin.join().generationId()).isEqualTo(2);
    }

    @Test
    void aFollowerRejoiningWithUnchangedMetadataGetsTheCurrentGeneration() {
        TwoMembers members = twoMembersWhoseLeaderSynced();
        String leader = members.leader();
        String follower = members.follower();
        JoinGroupResponseData again = ctx.join(GROUP, follower, null, SUB).join();
        assertThat(again.generationId()).isEqualTo(1);
        assertThat(ctx.group(GROUP).state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(ctx.sync(GROUP, follower, null, 1, Map.of()).join().assignment()).isEqualTo(bytes("p1"));
    }

    @Test
    void leaveGroupInBatchesAnswersEachMember() {
        JoinGroupResponseData member = stableSingleMember();
        LeaveGroupResponseData response = ctx.write((s, now) -> s.classicGroups().leaveGroup(List.of(
            new dev.borges.protocol.message.LeaveGroupRequestData.MemberIdentity().setMemberId("ghost"),
            new dev.borges.protocol.message.LeaveGroupRequestData.MemberIdentity().setMemberId(member.memberId())), GROUP, now));
        assertThat(response.members()).extracting(LeaveGroupResponseData.MemberResponse::errorCode)
            .containsExactly(Errors.UNKNOWN_MEMBER_ID.code, Errors.NONE.code);
        assertThat(ctx.write((s, now) -> s.classicGroups().leaveGroup(List.of(), "", now)).errorCode())
            .isEqualTo(Errors.INVALID_GROUP_ID.code);
    }
}
