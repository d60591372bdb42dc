package dev.borges.broker.group;

import static dev.borges.broker.group.ShardTestContext.bytes;
import static dev.borges.broker.group.ShardTestContext.subscription;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.classic.ClassicGroupState;
import dev.borges.broker.group.record.GroupMetadataKey;
import dev.borges.broker.group.record.GroupMetadataValue;
import dev.borges.broker.group.record.GroupRecords;
import dev.borges.broker.group.record.OffsetCommitKey;
import dev.borges.broker.group.record.OffsetCommitValue;
import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.JoinGroupResponseData;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The state a shard rebuilds by replaying its log equals the state it had when it wrote it. */
class ReplayTest {

    @Test
    void aShardLoadedFromItsLogEqualsTheLiveShard() {
        ShardTestContext ctx = ShardTestContext.create();
        CompletableFuture<JoinGroupResponseData> a = ctx.joinNew("g1", subscription("orders"));
        CompletableFuture<JoinGroupResponseData> b = ctx.joinNew("g1", subscription("orders", "payments"));
        ctx.advance(0);
        String leader = a.join().leader();
        String other = a.join().memberId().equals(leader) ? b.join().memberId() : a.join().memberId();
        ctx.sync("g1", leader, null, 1, Map.of(leader, bytes("p0"), other, bytes("p1")));
        ctx.commit(9, "g1", leader, null, 1, "orders", 0, 100, "m");
        ctx.commit(9, "g1", other, null, 1, "payments", 2, 7, null);
        ctx.commit(9, "g1", leader, null, 1, "orders", 0, 120, "m2"); // the later commit wins
        ctx.commit(9, "standalone", "", null, -1, "orders", 1, 5, null);
        CompletableFuture<JoinGroupResponseData> gone = ctx.joinNew("g2", subscription("x"));
        ctx.advance(0);
        ctx.sync("g2", gone.join().memberId(), null, 1, Map.of(gone.join().memberId(), bytes("x0")));
        ctx.leave("g2", gone.join().memberId(), null);

        ShardTestContext reloaded = ctx.reload();

        assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
        assertThat(reloaded.group("g1").state()).isEqualTo(ClassicGroupState.STABLE);
        assertThat(reloaded.group("g2").state()).isEqualTo(ClassicGroupState.EMPTY);
        assertThat(reloaded.group("g2").generationId()).isEqualTo(2);
        assertThat(reloaded.committed("g1", "orders", 0)).isEqualTo(120);
        assertThat(reloaded.heartbeat("g1", leader, null, 1)).as("members carry on after a reload").isEqualTo(Errors.NONE.code);
        assertThat(reloaded.sync("g1", other, null, 1, Map.of()).join().assignment()).isEqualTo(bytes("p1"));
    }

    @Test
    void loadedMembersThatNeverComeBackTimeOut() {
        ShardTestContext ctx = ShardTestContext.create();
        CompletableFuture<JoinGroupResponseData> a = ctx.joinNew("g1", subscription("orders"));
        ctx.advance(0);
        ctx.sync("g1", a.join().memberId(), null, 1, Map.of(a.join().memberId(), bytes("p0")));
        ShardTestContext reloaded = ctx.reload();
        reloaded.advance(ShardTestContext.SESSION_TIMEOUT_MS);
        assertThat(reloaded.group("g1").state()).isEqualTo(ClassicGroupState.EMPTY);
    }

    @Test
    void replayingTheSameRecordsInAnyPrefixNeverFails() {
        // Every prefix of a log is what a crash may leave behind: loading any of them must work.
        ShardTestContext ctx = ShardTestContext.create();
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            String group = "g" + random.nextInt(3);
            CompletableFuture<JoinGroupResponseData> join = ctx.joinNew(group, subscription("t"));
            ctx.advance(random.nextInt(3) * 1000L);
            if (join.isDone() && join.join().errorCode() == 0 && join.join().leader().equals(join.join().memberId())) {
                ctx.sync(group, join.join().memberId(), null, join.join().generationId(), Map.of(join.join().memberId(), bytes("a")));
            }
            ctx.commit(9, group, "", null, -1, "t", random.nextInt(4), round, null);
            ctx.advance(random.nextInt(20_000));
        }
        for (int prefix = 0; prefix <= ctx.log.size(); prefix++) {
            GroupCoordinatorShard shard = new GroupCoordinatorShard(0, ctx.config, new ManualTimer(0));
            for (CoordinatorRecord record : ctx.log.subList(0, prefix)) {
                shard.replay(record);
            }
            shard.onLoaded(0);
        }
        assertThat(ctx.reload().durableSnapshot()).isEqualTo(ctx.durableSnapshot());
    }

    @Test
    void recordsReadBackAsWritten() {
        OffsetCommitValue offset = new OffsetCommitValue(42, 7, "meta", 1000, -1);
        CoordinatorRecord record = GroupRecords.offsetCommit("g", "orders", 3, offset);
        assertThat(OffsetCommitKey.fromBytes(record.key())).isEqualTo(new OffsetCommitKey("g", "orders", 3));
        assertThat(OffsetCommitValue.fromBytes(record.value())).isEqualTo(offset);
        assertThat(ByteBuffer.wrap(record.value()).getShort()).isEqualTo((short) 3);

        OffsetCommitValue expiring = new OffsetCommitValue(1, -1, "", 1000, 5000);
        assertThat(ByteBuffer.wrap(expiring.toBytes()).getShort()).as("v1 carries the expire timestamp").isEqualTo((short) 1);
        assertThat(OffsetCommitValue.fromBytes(expiring.toBytes())).isEqualTo(expiring);

        GroupMetadataValue group = new GroupMetadataValue("consumer", 4, "range", "m1", 2000, List.of(
            new GroupMetadataValue.Member("m1", null, "c1", "/10.0.0.1", 30000, 10000, bytes("sub"), bytes("asg")),
            new GroupMetadataValue.Member("m2", "instance-2", "c2", "/10.0.0.2", 30000, 10000, bytes("sub2"), new byte[0])));
        CoordinatorRecord groupRecord = GroupRecords.groupMetadata("g", group);
        assertThat(GroupMetadataKey.fromBytes(groupRecord.key())).isEqualTo(new GroupMetadataKey("g"));
        assertThat(GroupMetadataValue.fromBytes(groupRecord.value())).isEqualTo(group);
        assertThat(GroupRecords.groupTombstone("g").isTombstone()).isTrue();
    }

    @Test
    void unknownAndMalformedRecordsAreSkipped() {
        ShardTestContext ctx = ShardTestContext.create();
        ctx.commit(9, "g", "", null, -1, "orders", 0, 5, null);
        GroupCoordinatorShard shard = new GroupCoordinatorShard(0, ctx.config, new ManualTimer(0));
        shard.replay(new CoordinatorRecord(new byte[] {0, 99, 1, 2}, new byte[] {1}));
        shard.replay(new CoordinatorRecord(new byte[] {0, 1, 0}, new byte[] {0, 3}));
        shard.replay(new CoordinatorRecord(new byte[] {0, 5, 0, 1, 'g'}, new byte[] {0, 0}));
        ctx.log.forEach(shard::replay);
        assertThat(shard.offsets().fetch("g", null).topics()).hasSize(1);
    }
}
