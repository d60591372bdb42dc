package dev.borges.storage.log;

import static dev.borges.storage.log.TxnWriter.allValues;
import static dev.borges.storage.log.TxnWriter.committedValues;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.MockTime;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.index.AbortedTxn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A partition log with transactions: the last stable offset, markers and their fencing, the
 * aborted-transaction index and read_committed reads, across restarts, truncation and retention.
 */
class TransactionalLogTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long A = 100L;
    private static final long B = 200L;
    private static final long C = 300L;

    @TempDir
    Path root;

    private final MockTime time = new MockTime(NOW);

    private PartitionLog open(Map<String, String> config, LogStartState start) {
        return PartitionLog.open(root.resolve("orders-0"), LogConfig.of(config), start, time, PartitionLog::deleteNow);
    }

    private TxnWriter writer(Map<String, String> config) {
        return new TxnWriter(open(config, LogStartState.NEW), NOW);
    }

    private Path txnIndexFile(long base) {
        return LogSegment.file(root.resolve("orders-0"), base, LogSegment.TXN_INDEX_SUFFIX);
    }

    @Test
    void theLastStableOffsetStopsAtTheFirstOpenTransactionOfAnyProducer() {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        w.plain("p0", "p1");                        // 0-1
        assertThat(log.lastStableOffset()).as("no transaction: the high watermark").isEqualTo(2);
        w.data(A, "a2", "a3");                      // 2-3
        w.data(B, "b4");                            // 4
        w.plain("p5");                              // 5
        assertThat(log.lastStableOffset()).isEqualTo(2);
        w.data(A, "a6");                            // 6: same transaction
        assertThat(log.lastStableOffset()).isEqualTo(2);

        w.commit(A);                                // 7
        assertThat(log.lastStableOffset()).as("B's transaction still open").isEqualTo(4);
        w.data(A, "a8");                            // 8: A's next transaction
        w.abort(B);                                 // 9
        assertThat(log.lastStableOffset()).isEqualTo(8);
        w.commit(A);                                // 10
        assertThat(log.lastStableOffset()).isEqualTo(11).isEqualTo(log.highWatermark());
    }

    @Test
    void theLastStableOffsetNeverPassesTheHighWatermarkNorAMarkerAboveIt() {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        w.plain("p0");                              // 0
        w.data(A, "a1");                            // 1
        log.appendAsLeader(TestBatches.batch(0, 1, NOW), 0); // 2: not yet replicated, the high watermark stays at 2
        assertThat(log.lastStableOffset()).isEqualTo(1);

        log.appendTxnMarker(A, (short) 0, 0, ControlRecordType.COMMIT, 0); // 3, the high watermark still at 2
        assertThat(log.lastStableOffset()).as("decided, but the marker is not replicated yet").isEqualTo(1);
        log.updateHighWatermark(3);
        assertThat(log.lastStableOffset()).as("the marker still at the high watermark").isEqualTo(1);
        log.updateHighWatermark(4);
        assertThat(log.lastStableOffset()).isEqualTo(4);
    }

    @Test
    void anAbortIsIndexedInTheSegmentHoldingItsMarkerAndACommitIsNot() throws IOException {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        w.data(A, "a0", "a1");                      // 0-1
        w.data(B, "b2");                            // 2
        log.roll();                                 // segment 3
        w.plain("p3");                              // 3
        w.abort(A);                                 // 4
        w.commit(B);                                // 5
        w.data(C, "c6");                            // 6
        w.abort(C);                                 // 7

        assertThat(txnIndexFile(0)).as("no marker in the first segment").doesNotExist();
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).containsExactly(
            new AbortedTxn(A, 0, 4, 2),             // B's transaction from 2 still open when A's ended
            new AbortedTxn(C, 6, 7, 8));
        assertThat(Files.size(txnIndexFile(3))).isEqualTo(2 * 34);
    }

    @Test
    void readCommittedStopsAtTheLastStableOffsetAndNamesTheAbortedTransactionsItRead() {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        w.data(A, "aborted-1");                     // 0
        w.data(B, "committed-1");                   // 1
        w.plain("plain-2");                         // 2
        w.abort(A);                                 // 3
        w.commit(B);                                // 4
        w.data(C, "open-5");                        // 5
        w.plain("plain-6");                         // 6

        FetchDataInfo committed = log.read(0, 100_000, FetchIsolation.TXN_COMMITTED, false);
        assertThat(log.lastStableOffset()).isEqualTo(5);
        assertThat(allValues(committed.records())).containsExactly("aborted-1", "committed-1", "plain-2", "ABORT", "COMMIT");
        assertThat(committed.abortedTransactions()).as("B's transaction from 1 was open when A's ended")
            .hasValue(List.of(new AbortedTxn(A, 0, 3, 1)));
        assertThat(committedValues(committed.records(), committed.abortedTransactions().orElseThrow()))
            .containsExactly("committed-1", "plain-2");

        FetchDataInfo uncommitted = log.read(0, 100_000, FetchIsolation.HIGH_WATERMARK, false);
        assertThat(allValues(uncommitted.records())).containsExactly("aborted-1", "committed-1", "plain-2", "ABORT", "COMMIT", "open-5",
            "plain-6");
        assertThat(uncommitted.abortedTransactions()).as("only read_committed reads name them").isEmpty();

        FetchDataInfo atTheBound = log.read(5, 100_000, FetchIsolation.TXN_COMMITTED, false);
        assertThat(atTheBound.records().sizeInBytes()).isZero();
        assertThat(atTheBound.abortedTransactions()).hasValue(List.of());
        w.commit(C);
        assertThat(allValues(log.read(5, 100_000, FetchIsolation.TXN_COMMITTED, false).records()))
            .containsExactly("open-5", "plain-6", "COMMIT");
    }

    @Test
    void aReadNamesTheAbortedTransactionsOverlappingWhatItReturnsWhereverTheirMarkerIs() {
        TxnWriter w = writer(Map.of(LogConfig.INDEX_INTERVAL_BYTES, "0")); // every batch indexed: tight upper bounds
        PartitionLog log = w.log;
        w.data(A, "a0");                            // 0
        w.plain("p1");                              // 1
        log.roll();
        w.plain("p2");                              // 2
        w.data(B, "b3");                            // 3
        log.roll();
        w.abort(A);                                 // 4
        w.abort(B);                                 // 5

        FetchDataInfo first = log.read(0, 1, FetchIsolation.TXN_COMMITTED, true);
        assertThat(allValues(first.records())).containsExactly("a0");
        assertThat(first.abortedTransactions()).as("A's marker is two segments later").hasValue(List.of(new AbortedTxn(A, 0, 4, 3)));
        FetchDataInfo second = log.read(2, 1, FetchIsolation.TXN_COMMITTED, true);
        assertThat(allValues(second.records())).containsExactly("p2");
        assertThat(second.abortedTransactions()).as("A's transaction spans this read too; B's starts after it")
            .hasValue(List.of(new AbortedTxn(A, 0, 4, 3)));
        assertThat(log.read(3, 1000, FetchIsolation.TXN_COMMITTED, true).abortedTransactions())
            .hasValue(List.of(new AbortedTxn(A, 0, 4, 3), new AbortedTxn(B, 3, 5, 6)));
        assertThat(log.collectAbortedTransactions(5, 6)).containsExactly(new AbortedTxn(B, 3, 5, 6));
    }

    @Test
    void aFencedMarkerWritesNothing() {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        log.appendTxnMarker(A, (short) 3, 5, ControlRecordType.COMMIT, 0);
        w.log.appendAsLeader(new dev.borges.protocol.record.RecordBatchBuilder(0L).producer(A, (short) 3, 0).transactional(true)
            .append(NOW, null, "x".getBytes()).build(), 0);
        long end = log.logEndOffset();

        assertThatThrownBy(() -> log.appendTxnMarker(A, (short) 2, 5, ControlRecordType.ABORT, 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
        assertThatThrownBy(() -> log.appendTxnMarker(A, (short) 3, 4, ControlRecordType.ABORT, 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED));

        assertThat(log.logEndOffset()).isEqualTo(end);
        log.updateHighWatermark(end);
        assertThat(log.lastStableOffset()).as("still open").isEqualTo(end - 1);
        assertThat(log.appendTxnMarker(A, (short) 4, 5, ControlRecordType.ABORT, 0).firstOffset()).isEqualTo(end);
    }

    @Test
    void aMarkerIsAControlBatchWithTheCoordinatorEpochAndTheLeaderEpoch() {
        TxnWriter w = writer(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        w.data(A, "a0");
        time.sleep(1234);
        LogAppendInfo info = w.log.appendTxnMarker(A, (short) 0, 9, ControlRecordType.ABORT, 6);

        assertThat(info.logAppendTimeMs()).isEqualTo(NOW + 1234);
        ByteBuffer bytes = ByteBuffer.allocate(10_000);
        w.log.read(info.firstOffset(), 10_000, FetchIsolation.LOG_END, false).records().copyTo(bytes);
        RecordBatch marker = RecordBatch.wrap(bytes.flip());
        assertThat(marker.isControlBatch()).isTrue();
        assertThat(marker.isTransactional()).isTrue();
        assertThat(marker.isValid()).isTrue();
        assertThat(marker.producerId()).isEqualTo(A);
        assertThat(marker.partitionLeaderEpoch()).isEqualTo(6);
        assertThat(marker.maxTimestamp()).isEqualTo(NOW + 1234);
        assertThat(dev.borges.protocol.record.EndTransactionMarker.parse(marker.records().get(0)))
            .isEqualTo(new dev.borges.protocol.record.EndTransactionMarker(ControlRecordType.ABORT, 9));
        assertThat(w.log.latestLeaderEpoch()).hasValue(6);
    }

    @Test
    void aCleanRestartKeepsOpenTransactionsAndTheIndex() {
        TxnWriter w = writer(Map.of());
        w.data(A, "a0");
        w.data(B, "b1");
        w.abort(A);                                 // 2
        List<AbortedTxn> indexed = w.log.collectAbortedTransactions(0, 3);
        w.log.close();

        PartitionLog reopened = open(Map.of(), new LogStartState(true, 3, 0, 3));
        assertThat(reopened.lastStableOffset()).isEqualTo(1);
        assertThat(reopened.collectAbortedTransactions(0, 3)).isEqualTo(indexed).hasSize(1);
        reopened.appendTxnMarker(B, (short) 0, 0, ControlRecordType.COMMIT, 0);
        reopened.updateHighWatermark(4);
        assertThat(reopened.lastStableOffset()).isEqualTo(4);
        reopened.close();
    }

    @Test
    void aCrashInsideATransactionLeavesItOpenUntilItsMarkerArrives() {
        TxnWriter w = writer(Map.of(LogConfig.SEGMENT_BYTES, "300"));
        w.plain("p0");
        w.data(A, "a1");
        for (int i = 2; i < 8; i++) {
            w.plain("p" + i, "padding-padding-padding-padding-padding-padding-" + i); // rolls: the start is in an older segment
        }
        long recoveryPoint = w.log.recoveryPoint();
        Path copy = CrashCopies.copy(w.log.dir(), root.resolve("crash").resolve("orders-0"));
        w.log.close();

        PartitionLog recovered = PartitionLog.open(copy, LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "300")),
            new LogStartState(false, recoveryPoint, 0, 14), time, PartitionLog::deleteNow);
        assertThat(recovered.numberOfSegments()).isGreaterThan(2);
        assertThat(recovered.lastStableOffset()).isEqualTo(1);
        recovered.appendTxnMarker(A, (short) 0, 0, ControlRecordType.ABORT, 0);
        recovered.updateHighWatermark(15);
        assertThat(recovered.lastStableOffset()).isEqualTo(15);
        assertThat(recovered.collectAbortedTransactions(0, 15)).containsExactly(new AbortedTxn(A, 1, 14, 15));
        recovered.close();
    }

    @Test
    void crashRecoveryRebuildsLostTransactionIndexesWithTheSameEntries() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "400");
        TxnWriter w = writer(config);
        for (int round = 0; round < 6; round++) {
            w.data(A, "a" + round);
            w.data(B, "b" + round);
            w.plain("p" + round);
            if (round % 2 == 0) {
                w.abort(A);
            } else {
                w.commit(A);
            }
            w.data(C, "c" + round);
            w.abort(B);
            w.abort(C);
        }
        List<AbortedTxn> indexed = w.log.collectAbortedTransactions(0, w.log.logEndOffset());
        assertThat(indexed).hasSize(15);
        assertThat(w.log.numberOfSegments()).isGreaterThan(3);
        Path copy = CrashCopies.copy(w.log.dir(), root.resolve("crash").resolve("orders-0"));
        try (var files = Files.list(copy)) {
            for (Path file : files.filter(f -> f.toString().endsWith(LogSegment.TXN_INDEX_SUFFIX)).toList()) {
                Files.delete(file);
            }
        }

        PartitionLog recovered = PartitionLog.open(copy, LogConfig.of(config), new LogStartState(false, 0, 0, w.log.logEndOffset()), time,
            PartitionLog::deleteNow);

        assertThat(recovered.collectAbortedTransactions(0, recovered.logEndOffset())).isEqualTo(indexed);
        assertThat(recovered.lastStableOffset()).isEqualTo(w.log.lastStableOffset());
        recovered.close();
    }

    @Test
    void aCorruptTransactionIndexIsRebuiltEvenAfterACleanShutdown() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "300");
        TxnWriter w = writer(config);
        w.data(A, "a0");
        w.data(B, "b1");
        w.abort(A);                                 // 2
        w.plain("p3");
        w.abort(B);
        w.plain("p5");
        w.plain("p6");
        long end = w.log.logEndOffset();
        List<AbortedTxn> indexed = w.log.collectAbortedTransactions(0, end);
        long indexedBase = w.log.inactiveSegments().stream().filter(s -> s.txnIndex().entries() > 0).findFirst().orElseThrow().baseOffset();
        w.log.close();
        Path corrupt = txnIndexFile(indexedBase);
        Files.write(corrupt, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);

        PartitionLog reopened = open(config, new LogStartState(true, end, 0, end));

        assertThat(reopened.collectAbortedTransactions(0, end)).isEqualTo(indexed);
        assertThat(Files.size(corrupt) % 34).isZero();
        reopened.close();
    }

    @Test
    void truncationRemovesTheEntriesOfCutMarkersAndReopensTheirTransactions() throws IOException {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        w.data(A, "a0");
        w.data(B, "b1");
        w.abort(A);                                 // 2
        w.abort(B);                                 // 3
        assertThat(log.collectAbortedTransactions(0, 4)).hasSize(2);

        log.truncateTo(3);
        assertThat(log.collectAbortedTransactions(0, 3)).containsExactly(new AbortedTxn(A, 0, 2, 1));
        assertThat(log.lastStableOffset()).isEqualTo(1);
        assertThat(Files.size(txnIndexFile(0))).isEqualTo(34);

        log.truncateTo(1);
        assertThat(log.collectAbortedTransactions(0, 1)).isEmpty();
        assertThat(log.lastStableOffset()).isZero();
        w.abort(A);                                 // 1: A's transaction, reopened by the truncation, ends again
        assertThat(log.collectAbortedTransactions(0, 2)).containsExactly(new AbortedTxn(A, 0, 1, 2));
    }

    @Test
    void retentionDeletesATransactionIndexWithItsSegment() {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        w.data(A, "a0");
        w.abort(A);                                 // 1
        log.roll();
        w.plain("p2");
        assertThat(txnIndexFile(0)).exists();

        log.advanceLogStartOffset(2);

        assertThat(log.numberOfSegments()).isEqualTo(1);
        assertThat(txnIndexFile(0)).doesNotExist();
        assertThat(root.resolve("orders-0").resolve("00000000000000000000.txnindex.deleted")).doesNotExist();
        assertThat(log.collectAbortedTransactions(2, 3)).isEmpty();
    }

    @Test
    void theLogStartBoundsTheLastStableOffsetOfATransactionItCut() {
        TxnWriter w = writer(Map.of());
        PartitionLog log = w.log;
        w.data(A, "a0");
        w.plain("p1", "p2", "p3");

        log.advanceLogStartOffset(2);

        assertThat(log.lastStableOffset()).isEqualTo(2);
        assertThat(allValues(log.read(2, 1000, FetchIsolation.TXN_COMMITTED, false).records())).isEmpty();
    }

    @Test
    void aProducerWithAnOpenTransactionIsNotExpired() {
        TxnWriter w = writer(Map.of());
        w.data(A, "a0");
        w.log.appendAsLeader(new dev.borges.protocol.record.RecordBatchBuilder(0L).producer(B, (short) 0, 0)
            .append(NOW, null, "idempotent".getBytes()).build(), 0);
        time.sleep(8 * 24 * 3_600_000L);

        w.log.removeExpiredProducers();

        assertThat(w.log.activeProducers()).containsOnlyKeys(A);
        assertThat(w.log.activeProducers().get(A).currentTxnFirstOffset()).hasValue(0);
    }
}
