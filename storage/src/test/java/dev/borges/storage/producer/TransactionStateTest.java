package dev.borges.storage.producer;

import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.APPENDED;
import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.storage.producer.ProducerStateTestContext.Outcome;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transactions in producer state: what opens and closes one, the markers' epoch and coordinator-epoch
 * fencing, the open transactions in offset order, and their survival across snapshots and replay.
 */
class TransactionStateTest {
    private static final long PID = 1000L;
    private static final long OTHER = 2000L;

    @TempDir
    Path directory;

    private ProducerStateTestContext context;

    @BeforeEach
    void setUp() {
        context = new ProducerStateTestContext(directory);
    }

    @Test
    void aTransactionalBatchOpensATransactionAtItsFirstOffset() {
        context.appendAsLeader(PID, 0, 0, 2);
        context.appendAsLeader(context.txnBatch(PID, 0, 2, 3));
        context.appendAsLeader(context.txnBatch(PID, 0, 5, 1));

        assertThat(context.manager.lastEntry(PID).orElseThrow().currentTxnFirstOffset()).hasValue(2);
        assertThat(context.manager.firstUnstableOffset()).hasValue(2);
        assertThat(context.manager.ongoingTransactions()).containsExactly(Map.entry(2L, PID));
    }

    @Test
    void aCommitMarkerClosesTheTransactionAndCompletesIt() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 3));

        assertThat(context.appendMarker(PID, 0, 5, ControlRecordType.COMMIT)).isEqualTo(Outcome.appended(3, 3,
            ProducerStateTestContext.START_MS));

        assertThat(context.completedTxns).containsExactly(new CompletedTxn(PID, 0, 3, false));
        ProducerStateEntry entry = context.manager.lastEntry(PID).orElseThrow();
        assertThat(entry.currentTxnFirstOffset()).isEmpty();
        assertThat(entry.coordinatorEpoch()).isEqualTo(5);
        assertThat(entry.lastSequence()).as("a marker of the same epoch keeps the sequence").isEqualTo(2);
        assertThat(context.manager.firstUnstableOffset()).isEmpty();
        assertThat(context.appendAsLeader(context.txnBatch(PID, 0, 3, 1)).kind()).as("the next transaction continues it").isEqualTo(APPENDED);
    }

    @Test
    void anAbortMarkerCompletesAnAbortedTransaction() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 1));
        context.appendAsLeader(context.txnBatch(PID, 0, 1, 1));

        context.appendMarker(PID, 0, 0, ControlRecordType.ABORT);

        assertThat(context.completedTxns).containsExactly(new CompletedTxn(PID, 0, 2, true));
    }

    @Test
    void aMarkerWithoutAnOpenTransactionCompletesNothing() {
        context.appendAsLeader(PID, 0, 0, 1);

        assertThat(context.appendMarker(PID, 0, 0, ControlRecordType.COMMIT).kind()).isEqualTo(APPENDED);
        assertThat(context.appendMarker(PID, 0, 0, ControlRecordType.ABORT).kind()).as("a retried marker").isEqualTo(APPENDED);

        assertThat(context.completedTxns).isEmpty();
        assertThat(context.manager.firstUnstableOffset()).isEmpty();
    }

    @Test
    void aMarkerWithAnOlderProducerEpochIsRefusedWithInvalidProducerEpoch() {
        context.appendAsLeader(context.txnBatch(PID, 3, 0, 1));

        Outcome stale = context.appendMarker(PID, 2, 0, ControlRecordType.COMMIT);

        assertThat(stale.kind()).isEqualTo(REJECTED);
        assertThat(stale.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(stale.message()).contains("epoch 2", "COMMIT marker", "current epoch 3");
        assertThat(context.manager.firstUnstableOffset()).as("the transaction stays open").hasValue(0);
        assertThat(context.logEndOffset()).as("nothing written").isEqualTo(1);
    }

    @Test
    void aMarkerWithAnOlderCoordinatorEpochIsRefusedWithTransactionCoordinatorFenced() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 1));
        context.appendMarker(PID, 0, 7, ControlRecordType.COMMIT);
        context.appendAsLeader(context.txnBatch(PID, 0, 1, 1));

        Outcome zombie = context.appendMarker(PID, 0, 6, ControlRecordType.ABORT);

        assertThat(zombie.error()).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        assertThat(zombie.message()).contains("coordinator epoch 6", "epoch 7");
        assertThat(context.manager.firstUnstableOffset()).hasValue(2);
        assertThat(context.appendMarker(PID, 0, 7, ControlRecordType.ABORT).kind()).as("the same coordinator epoch").isEqualTo(APPENDED);
        assertThat(context.appendMarker(PID, 0, 8, ControlRecordType.ABORT).kind()).as("a newer one").isEqualTo(APPENDED);
    }

    @Test
    void aMarkerWithAHigherEpochFencesTheOldEpoch() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 2));

        assertThat(context.appendMarker(PID, 1, 0, ControlRecordType.ABORT).kind()).isEqualTo(APPENDED);

        assertThat(context.completedTxns).containsExactly(new CompletedTxn(PID, 0, 2, true));
        assertThat(context.manager.lastEntry(PID).orElseThrow().producerEpoch()).isEqualTo((short) 1);
        assertThat(context.appendAsLeader(context.txnBatch(PID, 0, 2, 1)).error()).as("the old epoch is fenced")
            .isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(context.appendAsLeader(context.txnBatch(PID, 1, 5, 1)).error()).as("the bumped epoch starts at sequence 0")
            .isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(context.appendAsLeader(context.txnBatch(PID, 1, 0, 1)).kind()).isEqualTo(APPENDED);
    }

    @Test
    void aNonTransactionalBatchInsideATransactionIsRefusedWithInvalidTxnState() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 1));

        Outcome plain = context.appendAsLeader(PID, 0, 1, 1);

        assertThat(plain.error()).isEqualTo(Errors.INVALID_TXN_STATE);
        assertThat(context.manager.lastEntry(PID).orElseThrow().lastSequence()).as("state unchanged").isZero();
    }

    @Test
    void aTransactionalBatchFollowsTheSequenceRulesOfIdempotence() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 2));

        assertThat(context.appendAsLeader(context.txnBatch(PID, 0, 5, 1)).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        Outcome retry = context.appendAsLeader(context.txnBatch(PID, 0, 0, 2));
        assertThat(retry.kind()).as("a retry is answered with the original offsets").isEqualTo(Outcome.Kind.DUPLICATE);
        assertThat(retry.firstOffset()).isZero();
    }

    @Test
    void replicasAndReplayFollowTheLogEvenPastStaleEpochs() {
        context.appendAsLeader(context.txnBatch(PID, 2, 0, 1));
        context.appendMarker(PID, 2, 4, ControlRecordType.COMMIT);
        context.appendAsLeader(context.txnBatch(PID, 2, 1, 1));

        Outcome replicated = context.appendAsFollower(context.marker(PID, 1, 3, ControlRecordType.ABORT));

        assertThat(replicated.kind()).isEqualTo(APPENDED);
        assertThat(context.completedTxns).last().isEqualTo(new CompletedTxn(PID, 2, 3, true));
        assertThat(context.manager.lastEntry(PID).orElseThrow().coordinatorEpoch()).as("never goes back").isEqualTo(4);
    }

    @Test
    void openTransactionsAreOrderedByFirstOffsetAcrossProducers() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 2));      // 0-1
        context.appendAsLeader(context.txnBatch(OTHER, 0, 0, 1));    // 2
        assertThat(context.manager.firstUnstableOffset()).hasValue(0);

        context.appendMarker(PID, 0, 0, ControlRecordType.COMMIT);   // 3
        assertThat(context.manager.firstUnstableOffset()).hasValue(2);

        context.appendAsLeader(context.txnBatch(PID, 0, 2, 1));      // 4
        assertThat(context.manager.ongoingTransactions()).containsExactly(Map.entry(2L, OTHER), Map.entry(4L, PID));
        context.appendMarker(OTHER, 0, 0, ControlRecordType.ABORT);  // 5
        assertThat(context.manager.firstUnstableOffset()).hasValue(4);
        context.appendMarker(PID, 0, 0, ControlRecordType.ABORT);    // 6
        assertThat(context.manager.firstUnstableOffset()).isEmpty();
    }

    @Test
    void theLastStableOffsetAfterACompletionIsTheEarliestOtherOpenTransaction() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 1));      // 0
        context.appendAsLeader(context.txnBatch(OTHER, 0, 0, 1));    // 1
        context.appendMarker(PID, 0, 0, ControlRecordType.ABORT);    // 2
        CompletedTxn first = context.completedTxns.get(0);
        assertThat(context.manager.lastStableOffset(first)).as("the other producer's transaction holds it").isEqualTo(1);

        context.appendMarker(OTHER, 0, 0, ControlRecordType.ABORT);  // 3
        assertThat(context.manager.lastStableOffset(context.completedTxns.get(1))).as("none open: after the marker").isEqualTo(4);
    }

    @Test
    void anOpenTransactionSurvivesASnapshotAndACrash() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 2));
        context.manager.takeSnapshot();
        context.appendAsLeader(context.txnBatch(OTHER, 0, 0, 1));

        context.crashAndRecover();

        assertThat(context.manager.ongoingTransactions()).containsExactly(Map.entry(0L, PID), Map.entry(2L, OTHER));
        context.appendMarker(PID, 0, 0, ControlRecordType.ABORT);
        assertThat(context.completedTxns).containsExactly(new CompletedTxn(PID, 0, 3, true));
        assertThat(context.manager.firstUnstableOffset()).hasValue(2);
    }

    @Test
    void replayClosesTheTransactionsTheLogClosed() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 2));
        context.manager.takeSnapshot();
        context.appendMarker(PID, 0, 3, ControlRecordType.COMMIT);

        context.crashAndRecover();

        assertThat(context.manager.firstUnstableOffset()).isEmpty();
        assertThat(context.completedTxns).as("once when appended, once replayed").containsExactly(
            new CompletedTxn(PID, 0, 2, false), new CompletedTxn(PID, 0, 2, false));
        assertThat(context.manager.lastEntry(PID).orElseThrow().coordinatorEpoch()).isEqualTo(3);
    }

    @Test
    void truncatingAMarkerAwayReopensItsTransaction() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 2));
        context.appendMarker(PID, 0, 0, ControlRecordType.COMMIT);

        context.truncateLogTo(2);

        assertThat(context.manager.firstUnstableOffset()).hasValue(0);
    }

    @Test
    void aProducerWithAnOpenTransactionNeverExpiresButDoesOnceItIsClosed() {
        context.appendAsLeader(context.txnBatch(PID, 0, 0, 1));
        context.time.sleep(context.config.producerIdExpirationMs() * 2);

        context.manager.removeExpiredProducers(context.time.milliseconds());
        assertThat(context.manager.lastEntry(PID)).isPresent();

        context.appendMarker(PID, 0, 0, ControlRecordType.COMMIT);
        context.time.sleep(context.config.producerIdExpirationMs());
        context.manager.removeExpiredProducers(context.time.milliseconds());
        assertThat(context.manager.lastEntry(PID)).isEmpty();
        assertThat(context.manager.firstUnstableOffset()).isEqualTo(OptionalLong.empty());
    }
}
