package dev.borges.broker.group.offsets;

import static dev.borges.broker.group.ShardTestContext.bytes;
import static dev.borges.broker.group.ShardTestContext.subscription;
import static dev.borges.broker.group.ShardTestContext.txnCommitError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.ShardTestContext;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.DeleteGroupsResponseData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.OffsetDeleteRequestData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import dev.borges.protocol.message.TxnOffsetCommitRequestData;
import dev.borges.protocol.message.TxnOffsetCommitResponseData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * TxnOffsetCommit on one shard (KIP-98, KIP-447): offsets pending until their transaction's marker,
 * {@code require_stable}, the group checks, and how deletion and expiry treat pending offsets.
 */
class TransactionalOffsetsTest {
    private static final String GROUP = "payments";
    private static final long PRODUCER = 4000L;

    private final ShardTestContext ctx = new ShardTestContext(GroupConfig.defaults().withInitialRebalanceDelayMs(0)
        .withOffsetsRetentionMs(60_000));

    private short txnCommit(long producer, String topic, int partition, long offset) {
        return txnCommitError(ctx.txnCommit(producer, GROUP, "", null, -1, topic, partition, offset, "m"));
    }

    @Test
    void aCommitMarkerMakesThePendingOffsetsTheCommittedOnes() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 5, null);
        assertThat(txnCommit(PRODUCER, "orders", 0, 10)).isEqualTo(Errors.NONE.code);
        assertThat(txnCommit(PRODUCER, "orders", 1, 20)).isEqualTo(Errors.NONE.code);
        assertThat(ctx.committed(GROUP, "orders", 0)).as("pending: the last committed offset is read").isEqualTo(5);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(-1);

        ctx.endTransaction(PRODUCER, (short) 0, true);

        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(10);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(20);
        assertThat(ctx.fetched(GROUP, "orders", 0, true).errorCode()).as("stable again").isEqualTo(Errors.NONE.code);
        assertThat(ctx.fetched(GROUP, "orders", 1, true).metadata()).isEqualTo("m");
    }

    @Test
    void anAbortMarkerDropsThePendingOffsets() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 5, null);
        txnCommit(PRODUCER, "orders", 0, 10);
        ctx.endTransaction(PRODUCER, (short) 0, false);
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(5);
        assertThat(ctx.fetched(GROUP, "orders", 0, true).errorCode()).isEqualTo(Errors.NONE.code);
    }

    @Test
    void requireStableAnswersUnstableOffsetCommitWhileAnOffsetIsPending() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 5, null);
        txnCommit(PRODUCER, "orders", 0, 10);

        OffsetFetchResponseData.OffsetFetchResponsePartitions stable = ctx.fetched(GROUP, "orders", 0, true);
        assertThat(stable.errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code);
        assertThat(stable.committedOffset()).isEqualTo(-1);
        assertThat(ctx.fetched(GROUP, "orders", 0, false).committedOffset()).isEqualTo(5);
        assertThat(ctx.fetched(GROUP, "orders", 1, true).errorCode()).as("another partition").isEqualTo(Errors.NONE.code);
        OffsetFetchResponseData.OffsetFetchResponseGroup all = ctx.shard.offsets().fetch(GROUP, null, -1, null, true);
        assertThat(all.topics().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code);
    }

    @Test
    void theLastWrittenOffsetWinsBetweenAPlainAndATransactionalCommit() {
        txnCommit(PRODUCER, "orders", 0, 10);
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 12, null); // written after: it stays
        txnCommit(PRODUCER, "orders", 1, 30);
        ctx.endTransaction(PRODUCER, (short) 0, true);
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(12);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(30);

        ctx.commit(9, GROUP, "", null, -1, "orders", 1, 31, null);
        txnCommit(PRODUCER + 1, "orders", 1, 40); // written after: it replaces
        ctx.endTransaction(PRODUCER + 1, (short) 0, true);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(40);
    }

    @Test
    void transactionsOfTwoProducersEndSeparately() {
        txnCommit(PRODUCER, "orders", 0, 10);
        txnCommit(PRODUCER + 1, "orders", 1, 20);
        ctx.endTransaction(PRODUCER + 1, (short) 0, false);
        ctx.endTransaction(PRODUCER + 7, (short) 0, true); // nothing pending: nothing happens
        assertThat(ctx.fetched(GROUP, "orders", 0, true).errorCode()).isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code);
        assertThat(ctx.fetched(GROUP, "orders", 1, true).errorCode()).isEqualTo(Errors.NONE.code);
        ctx.endTransaction(PRODUCER, (short) 0, true);
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(10);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(-1);
    }

    @Test
    void loadingTheLogGivesTheLiveStateAndKeepsAnOpenTransactionPending() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 5, null);
        txnCommit(PRODUCER, "orders", 0, 10);
        txnCommit(PRODUCER + 1, "orders", 1, 20);
        ctx.endTransaction(PRODUCER, (short) 0, true);
        txnCommit(PRODUCER + 2, "orders", 2, 30);
        ctx.endTransaction(PRODUCER + 2, (short) 0, false);

        ShardTestContext reloaded = ctx.reload();

        assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
        assertThat(reloaded.committed(GROUP, "orders", 0)).isEqualTo(10);
        assertThat(reloaded.fetched(GROUP, "orders", 1, true).errorCode()).as("still open after the load")
            .isEqualTo(Errors.UNSTABLE_OFFSET_COMMIT.code);
        assertThat(reloaded.committed(GROUP, "orders", 2)).isEqualTo(-1);
        reloaded.endTransaction(PRODUCER + 1, (short) 0, true);
        assertThat(reloaded.committed(GROUP, "orders", 1)).as("the coordinator finishes it later").isEqualTo(20);
    }

    @Test
    void aGroupThatDoesNotExistComesIntoBeingWithItsFirstTransactionalOffset() {
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, "fresh", "", null, 3, "orders", 0, 1, null)))
            .as("a generation for a group nobody joined").isEqualTo(Errors.ILLEGAL_GENERATION.code);
        assertThat(ctx.shard.group("fresh")).isNull();
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, "fresh", "", null, -1, "orders", 0, 1, null))).isEqualTo(Errors.NONE.code);
        assertThat(ctx.shard.group("fresh")).isNotNull();
    }

    @Test
    void membersAreCheckedLikeKafkaChecksTransactionalCommits() {
        JoinGroupResponseData member = ctx.stableMember(GROUP, "orders");
        String memberId = member.memberId();
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, GROUP, memberId, null, 1, "orders", 0, 1, null))).isEqualTo(Errors.NONE.code);
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, GROUP, memberId, null, 2, "orders", 0, 1, null)))
            .isEqualTo(Errors.ILLEGAL_GENERATION.code);
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, GROUP, "stranger", null, 1, "orders", 0, 1, null)))
            .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, GROUP, "", null, -1, "orders", 0, 1, null)))
            .as("versions before 3 name no member: accepted, as in Kafka").isEqualTo(Errors.NONE.code);
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, GROUP, memberId, "instance-x", 1, "orders", 0, 1, null)))
            .isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, GROUP, "", null, -1, "orders", 0, 1, "x".repeat(5000))))
            .isEqualTo(Errors.OFFSET_METADATA_TOO_LARGE.code);
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, "", "", null, -1, "orders", 0, 1, null))).isEqualTo(Errors.INVALID_GROUP_ID.code);
    }

    @Test
    void aFencedStaticMemberCannotCommitInATransaction() {
        CompletableFuture<JoinGroupResponseData> join = ctx.join(GROUP, "", "instance-a", subscription("orders"));
        ctx.advance(0);
        String first = join.join().memberId();
        ctx.sync(GROUP, first, "instance-a", 1, Map.of(first, bytes("all"))).join();
        ctx.join(GROUP, "", "instance-a", subscription("orders")).join(); // a new incarnation replaces it
        assertThat(txnCommitError(ctx.txnCommit(PRODUCER, GROUP, first, "instance-a", 1, "orders", 0, 1, null)))
            .isEqualTo(Errors.FENCED_INSTANCE_ID.code);
    }

    @Test
    void aRequestWithoutRecordsWritesNoTransactionalBatch() {
        int before = ctx.log.size();
        TxnOffsetCommitResponseData response = ctx.txnCommit(PRODUCER, GROUP, "", null, 5, "orders", 0, 1, null);
        assertThat(txnCommitError(response)).isEqualTo(Errors.ILLEGAL_GENERATION.code);
        assertThat(ctx.log).hasSize(before);
        TxnOffsetCommitRequestData request = new TxnOffsetCommitRequestData().setGroupId(GROUP).setProducerId(-1);
        request.topics().add(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic().setName("orders").setPartitions(
            new ArrayList<>(List.of(new TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition().setPartitionIndex(0)))));
        assertThat(txnCommitError(ctx.write((s, now) -> s.offsets().commitTransactional(request, now))))
            .as("no producer id, no transaction").isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING.code);
    }

    @Test
    void offsetDeleteDropsAPendingOffsetWithItsTombstone() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 5, null);
        txnCommit(PRODUCER, "orders", 1, 10); // pending only: no committed offset yet
        OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId(GROUP);
        request.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(new ArrayList<>(List.of(
            new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(1)))));
        int before = ctx.log.size();
        ctx.write((s, now) -> s.offsets().delete(request));
        assertThat(ctx.log).as("a tombstone for the pending offset").hasSize(before + 1);
        ctx.endTransaction(PRODUCER, (short) 0, true);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(-1);
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(5);
    }

    @Test
    void deletingAGroupDeletesItsPendingOffsetsToo() {
        txnCommit(PRODUCER, "orders", 1, 10);
        List<DeleteGroupsResponseData.DeletableGroupResult> results = ctx.write((s, now) -> s.deleteGroups(List.of(GROUP)));
        assertThat(results.get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.shard.group(GROUP)).isNull();
        ctx.endTransaction(PRODUCER, (short) 0, true);
        assertThat(ctx.committed(GROUP, "orders", 1)).isEqualTo(-1);
    }

    @Test
    void aPendingOffsetAndItsGroupDoNotExpire() {
        ctx.commit(9, GROUP, "", null, -1, "orders", 0, 5, null);
        ctx.commit(9, GROUP, "", null, -1, "orders", 1, 6, null);
        txnCommit(PRODUCER, "orders", 0, 10);
        ctx.advance(60_000);
        ctx.commit(ctx.shard.expireOffsets(ctx.now()));
        assertThat(ctx.committed(GROUP, "orders", 1)).as("no transaction on it: expired").isEqualTo(-1);
        assertThat(ctx.committed(GROUP, "orders", 0)).as("a transaction is writing it").isEqualTo(5);
        assertThat(ctx.shard.group(GROUP)).isNotNull();

        ctx.endTransaction(PRODUCER, (short) 0, false);
        ctx.commit(ctx.shard.expireOffsets(ctx.now()));
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(-1);
        assertThat(ctx.shard.group(GROUP)).as("nothing left: the empty group goes").isNull();
    }

    @Test
    void aGroupWithOnlyPendingOffsetsIsNotRemovedByExpiry() {
        txnCommit(PRODUCER, "orders", 0, 10);
        ctx.advance(120_000);
        ctx.commit(ctx.shard.expireOffsets(ctx.now()));
        assertThat(ctx.shard.group(GROUP)).isNotNull();
        ctx.endTransaction(PRODUCER, (short) 0, true);
        assertThat(ctx.committed(GROUP, "orders", 0)).isEqualTo(10);
    }

    /**
     * A random mix of transactional and plain commits, markers and OffsetDeletes, checked after each
     * step against a small model of Kafka's rules (the last written offset wins at COMMIT, ABORT
     * drops, a tombstone drops pending offsets too) and against a shard loaded from the log.
     */
    @Test
    void randomCommitsMarkersAndDeletionsFollowTheModelLiveAndAfterALoad() {
        Random random = new Random(447);
        Map<Integer, long[]> committed = new HashMap<>(); // partition → {offset, position}
        Map<Long, Map<Integer, long[]>> pending = new HashMap<>();
        long position = 0;
        for (int step = 0; step < 200; step++) {
            long producer = PRODUCER + random.nextInt(3);
            int partition = random.nextInt(3);
            switch (random.nextInt(5)) {
                case 0, 1 -> {
                    txnCommit(producer, "orders", partition, step);
                    pending.computeIfAbsent(producer, p -> new HashMap<>()).put(partition, new long[] {step, position++});
                }
                case 2 -> {
                    ctx.commit(9, GROUP, "", null, -1, "orders", partition, step, null);
                    committed.put(partition, new long[] {step, position++});
                }
                case 3 -> {
                    boolean commit = random.nextBoolean();
                    ctx.endTransaction(producer, (short) 0, commit);
                    Map<Integer, long[]> ended = pending.remove(producer);
                    if (commit && ended != null) {
                        ended.forEach((p, offset) -> committed.merge(p, offset, (old, now) -> old[1] < now[1] ? now : old));
                    }
                }
                default -> {
                    OffsetDeleteRequestData request = new OffsetDeleteRequestData().setGroupId(GROUP);
                    request.topics().add(new OffsetDeleteRequestData.OffsetDeleteRequestTopic().setName("orders").setPartitions(
                        new ArrayList<>(List.of(new OffsetDeleteRequestData.OffsetDeleteRequestPartition().setPartitionIndex(partition)))));
                    ctx.write((s, now) -> s.offsets().delete(request));
                    committed.remove(partition);
                    pending.values().forEach(offsets -> offsets.remove(partition));
                }
            }
            ShardTestContext reloaded = ctx.reload();
            for (int p = 0; p < 3; p++) {
                int partitionIndex = p;
                long expected = committed.containsKey(p) ? committed.get(p)[0] : -1;
                boolean unstable = pending.values().stream().anyMatch(offsets -> offsets.containsKey(partitionIndex));
                for (ShardTestContext shard : List.of(ctx, reloaded)) {
                    assertThat(shard.committed(GROUP, "orders", p)).as("step %d, partition %d", step, p).isEqualTo(expected);
                    assertThat(shard.fetched(GROUP, "orders", p, true).errorCode()).as("step %d, partition %d", step, p)
                        .isEqualTo((unstable ? Errors.UNSTABLE_OFFSET_COMMIT : Errors.NONE).code);
                }
            }
            assertThat(reloaded.durableSnapshot()).isEqualTo(ctx.durableSnapshot());
        }
    }
}
