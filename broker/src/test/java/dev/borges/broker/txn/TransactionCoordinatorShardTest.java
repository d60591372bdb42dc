package dev.borges.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.protocol.Errors;
import dev.borges.storage.TopicPartition;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The transaction state machine of one {@code __transaction_state} partition, without threads or disks. */
class TransactionCoordinatorShardTest {
    private static final String ID = "payments";
    private static final long PID = 1000L;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition ORDERS_1 = new TopicPartition("orders", 1);

    private final TxnShardTestContext ctx = new TxnShardTestContext(TxnConfig.defaults());

    private TransactionCoordinatorShard.InitResult init(long candidate) {
        return ctx.run(shard -> shard.initProducerId(ID, 60_000, -1, (short) -1, candidate, ctx.now()));
    }

    private Errors add(short epoch, TopicPartition... partitions) {
        return ctx.run(shard -> shard.addPartitions(ID, PID, epoch, List.of(partitions), ctx.now()));
    }

    private Errors end(short epoch, boolean commit) {
        return ctx.run(shard -> shard.endTransaction(ID, PID, epoch, commit, ctx.now()));
    }

    private void completeMarkers() {
        List<TxnMarkers> sent = List.copyOf(ctx.markers);
        ctx.markers.clear();
        sent.forEach(markers -> ctx.run(shard -> shard.completeTransaction(markers, ctx.now())));
    }

    @Test
    void aNewTransactionalIdAsksForAProducerIdThenStartsAtEpochZero() {
        assertThat(init(-1).needsProducerId()).isTrue();
        assertThat(ctx.log).isEmpty();
        TransactionCoordinatorShard.InitResult result = init(PID);
        assertThat(result).isEqualTo(new TransactionCoordinatorShard.InitResult(Errors.NONE, PID, (short) 0, false));
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.EMPTY);
        assertThat(ctx.log).hasSize(1);

        assertThat(init(-1)).as("re-initialising bumps the epoch, no new id")
            .isEqualTo(new TransactionCoordinatorShard.InitResult(Errors.NONE, PID, (short) 1, false));
    }

    @Test
    void aCommitGoesThroughPrepareMarkersAndComplete() {
        init(PID);
        assertThat(add((short) 0, ORDERS_0)).isEqualTo(Errors.NONE);
        assertThat(add((short) 0, ORDERS_1, ORDERS_0)).isEqualTo(Errors.NONE);
        int records = ctx.log.size();
        assertThat(add((short) 0, ORDERS_1)).as("already added: nothing written").isEqualTo(Errors.NONE);
        assertThat(ctx.log).hasSize(records);
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.ONGOING);
        assertThat(ctx.get(ID).partitions()).containsExactly(ORDERS_0, ORDERS_1);

        assertThat(end((short) 0, true)).isEqualTo(Errors.NONE);
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.PREPARE_COMMIT);
        assertThat(ctx.markers).containsExactly(new TxnMarkers(ID, 0, TxnShardTestContext.COORDINATOR_EPOCH, PID, (short) 0, true,
            Set.of(ORDERS_0, ORDERS_1)));

        assertThat(add((short) 0, ORDERS_0)).as("markers still being written").isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(end((short) 0, true)).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(end((short) 0, false)).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(init(-1).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);

        completeMarkers();
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
        assertThat(ctx.get(ID).partitions()).isEmpty();
        assertThat(end((short) 0, true)).as("a retried commit").isEqualTo(Errors.NONE);
        assertThat(end((short) 0, false)).isEqualTo(Errors.INVALID_TXN_STATE);

        assertThat(add((short) 0, ORDERS_1)).as("the next transaction").isEqualTo(Errors.NONE);
        assertThat(ctx.get(ID).partitions()).containsExactly(ORDERS_1);
    }

    @Test
    void requestsFromUnknownOrOldProducersGetKafkasErrors() {
        assertThat(add((short) 0, ORDERS_0)).as("unknown id").isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(end((short) 0, true)).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        init(PID);
        init(-1); // epoch 1
        assertThat(add((short) 0, ORDERS_0)).as("stale epoch").isEqualTo(Errors.PRODUCER_FENCED);
        Errors otherProducer = ctx.run(shard -> shard.addPartitions(ID, PID + 1, (short) 1, List.of(ORDERS_0), ctx.now()));
        assertThat(otherProducer).isEqualTo(Errors.INVALID_PRODUCER_ID_MAPPING);
        assertThat(end((short) 1, true)).as("no transaction going on").isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(end((short) 1, false)).isEqualTo(Errors.INVALID_TXN_STATE);
        TransactionCoordinatorShard.InitResult stale = ctx.run(shard -> shard.initProducerId(ID, 60_000, PID, (short) 0, -1, ctx.now()));
        assertThat(stale.error()).as("InitProducerId v3+ with an old epoch").isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void reinitialisingDuringATransactionAbortsItAndFencesTheOldProducer() {
        init(PID);
        add((short) 0, ORDERS_0);
        assertThat(init(-1).error()).isEqualTo(Errors.CONCURRENT_TRANSACTIONS);
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(ctx.get(ID).producerEpoch()).isEqualTo((short) 1);
        assertThat(ctx.markers).containsExactly(new TxnMarkers(ID, 0, TxnShardTestContext.COORDINATOR_EPOCH, PID, (short) 1, false,
            Set.of(ORDERS_0)));
        completeMarkers();
        assertThat(end((short) 0, true)).as("the zombie").isEqualTo(Errors.PRODUCER_FENCED);
        assertThat(init(-1)).isEqualTo(new TransactionCoordinatorShard.InitResult(Errors.NONE, PID, (short) 2, false));
    }

    @Test
    void aTransactionOlderThanItsTimeoutIsAbortedWithABumpedEpoch() {
        init(PID);
        add((short) 0, ORDERS_0);
        ctx.advance(59_000);
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.ONGOING);
        ctx.advance(ctx.config.abortTimedOutIntervalMs() + 1_000);
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.PREPARE_ABORT);
        assertThat(ctx.markers).singleElement().satisfies(m -> {
            assertThat(m.commit()).isFalse();
            assertThat(m.producerEpoch()).isEqualTo((short) 1);
        });
        completeMarkers();
        assertThat(ctx.get(ID).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
        assertThat(end((short) 0, true)).isEqualTo(Errors.PRODUCER_FENCED);
    }

    @Test
    void idleTransactionalIdsExpire() {
        init(PID);
        ctx.advance(ctx.config.transactionalIdExpirationMs() + ctx.config.removeExpiredIntervalMs());
        assertThat(ctx.shard.describe(ID)).isEmpty();
        CoordinatorRecord last = ctx.log.get(ctx.log.size() - 1);
        assertThat(last.isTombstone()).isTrue();
        assertThat(ctx.reload().shard.describe(ID)).isEmpty();
    }

    @Test
    void anExhaustedEpochGetsANewProducerId() {
        ctx.commit(dev.borges.broker.coordinator.CoordinatorResult.of(List.of(TransactionLogRecords.record(
            new TransactionMetadata(ID, PID, TransactionMetadata.MAX_EPOCH, 60_000, TransactionState.COMPLETE_COMMIT, Set.of(), 1L,
                ctx.now()))), null));
        assertThat(init(-1).needsProducerId()).isTrue();
        assertThat(init(PID + 7)).isEqualTo(new TransactionCoordinatorShard.InitResult(Errors.NONE, PID + 7, (short) 0, false));
    }

    @Test
    void verificationAcceptsOnlyPartitionsOfTheOngoingTransaction() {
        init(PID);
        assertThat(ctx.shard.verify(ID, PID, (short) 0, List.of(ORDERS_0))).containsEntry(ORDERS_0, Errors.INVALID_TXN_STATE);
        add((short) 0, ORDERS_0);
        assertThat(ctx.shard.verify(ID, PID, (short) 0, List.of(ORDERS_0, ORDERS_1)))
            .containsEntry(ORDERS_0, Errors.NONE).containsEntry(ORDERS_1, Errors.INVALID_TXN_STATE);
        assertThat(ctx.shard.verify(ID, PID, (short) 1, List.of(ORDERS_0))).containsEntry(ORDERS_0, Errors.PRODUCER_FENCED);
        assertThat(ctx.shard.verify("nobody", PID, (short) 0, List.of(ORDERS_0)))
            .containsEntry(ORDERS_0, Errors.INVALID_PRODUCER_ID_MAPPING);
        end((short) 0, true);
        assertThat(ctx.shard.verify(ID, PID, (short) 0, List.of(ORDERS_0))).as("after EndTxn")
            .containsEntry(ORDERS_0, Errors.INVALID_TXN_STATE);
    }

    @Test
    void replayingTheLogGivesTheSameStateAsLiveOperation() {
        init(PID);
        add((short) 0, ORDERS_0, ORDERS_1);
        end((short) 0, true);
        completeMarkers();
        ctx.run(shard -> shard.initProducerId("other", 30_000, -1, (short) -1, PID + 1, ctx.now()));
        ctx.run(shard -> shard.addPartitions("other", PID + 1, (short) 0, List.of(ORDERS_1), ctx.now()));
        add((short) 0, ORDERS_0);
        assertThat(ctx.reload().state()).isEqualTo(ctx.state());
    }

    @Test
    void aShardLoadedWithAPreparedTransactionSendsItsMarkersAgain() {
        init(PID);
        add((short) 0, ORDERS_0, ORDERS_1);
        end((short) 0, false);
        ctx.markers.clear(); // the broker stopped before writing them

        TxnShardTestContext reloaded = ctx.reload();
        assertThat(reloaded.markers).isEmpty();
        reloaded.advance(0);
        assertThat(reloaded.markers).containsExactly(new TxnMarkers(ID, 0, TxnShardTestContext.COORDINATOR_EPOCH, PID, (short) 0,
            false, Set.of(ORDERS_0, ORDERS_1)));
        reloaded.markers.forEach(markers -> reloaded.run(shard -> shard.completeTransaction(markers, reloaded.now())));
        assertThat(reloaded.get(ID).state()).isEqualTo(TransactionState.COMPLETE_ABORT);
    }
}
