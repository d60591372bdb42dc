package dev.borges.storage.cleaner;

import static dev.borges.storage.cleaner.CleanerTestContext.NOW;
import static dev.borges.storage.cleaner.CleanerTestContext.batches;
import static dev.borges.storage.cleaner.CleanerTestContext.bytes;
import static dev.borges.storage.cleaner.CleanerTestContext.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.EndTransactionMarker;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.index.AbortedTxn;
import dev.borges.storage.log.FetchDataInfo;
import dev.borges.storage.log.FetchIsolation;
import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.LogStartState;
import dev.borges.storage.log.PartitionLog;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compaction of a log with transactions, as Kafka's cleaner does it: records of aborted
 * transactions go (and never hide a committed value), markers go once no record of their
 * transaction is left and their delete horizon has passed, nothing at or past the last stable
 * offset is cleaned, and what a {@code read_committed} consumer sees of each key never changes.
 */
class TransactionCompactionTest {
    private static final long A = 11L;
    private static final long B = 22L;
    private static final long DELETE_RETENTION_MS = 10_000L;

    @TempDir
    Path root;

    private final LogCleaner cleaner = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 20));
    private final Map<Long, Integer> sequences = new HashMap<>();
    private CleanerTestContext ctx;

    private PartitionLog open(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(overrides);
        config.put(LogConfig.DELETE_RETENTION_MS, Long.toString(DELETE_RETENTION_MS));
        ctx = new CleanerTestContext(root, config);
        return ctx.open();
    }

    private void txn(PartitionLog log, long producerId, String... keysAndValues) {
        int sequence = sequences.getOrDefault(producerId, 0);
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(producerId, (short) 0, sequence).transactional(true);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.append(ctx.time.milliseconds(), bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]));
        }
        log.appendAsLeader(builder.build(), 0);
        sequences.put(producerId, sequence + keysAndValues.length / 2);
        log.updateHighWatermark(log.logEndOffset());
    }

    private long marker(PartitionLog log, long producerId, ControlRecordType type) {
        long offset = log.appendTxnMarker(producerId, (short) 0, 0, type, 0).firstOffset();
        log.updateHighWatermark(log.logEndOffset());
        return offset;
    }

    /** New dirt and a roll, so the next pass has a reason to run and sees everything before. */
    private void dirtAndRoll(PartitionLog log, int round) {
        ctx.append(log, "filler", "round-" + round);
        log.roll();
        log.updateHighWatermark(log.logEndOffset());
    }

    private static List<String> stored(PartitionLog log) {
        List<String> result = new ArrayList<>();
        for (RecordBatch batch : batches(log)) {
            for (Record record : batch.records()) {
                if (batch.isControlBatch()) {
                    EndTransactionMarker marker = EndTransactionMarker.parse(record);
                    result.add(record.offset() + ":" + marker.type() + (batch.hasDeleteHorizon() ? "@horizon" : ""));
                } else if (!text(record.key()).equals("filler")) {
                    result.add(record.offset() + ":" + text(record.key()) + "=" + text(record.value()));
                }
            }
        }
        return result;
    }

    /** Each key's latest value as a read_committed consumer sees the log: aborted records skipped. */
    private static Map<String, String> committedLatest(PartitionLog log) {
        Map<String, String> latest = new LinkedHashMap<>();
        long next = log.logStartOffset();
        while (next < log.lastStableOffset()) {
            FetchDataInfo info = log.read(next, 1 << 20, FetchIsolation.TXN_COMMITTED, true);
            ByteBuffer buffer = ByteBuffer.allocate(info.records().sizeInBytes());
            info.records().copyTo(buffer);
            List<AbortedTxn> aborted = new ArrayList<>(info.abortedTransactions().orElseThrow());
            Set<Long> abortedProducers = new HashSet<>();
            long before = next;
            for (RecordBatch batch : MemoryRecords.readableView(buffer.flip()).completeBatches()) {
                for (java.util.Iterator<AbortedTxn> it = aborted.iterator(); it.hasNext(); ) {
                    AbortedTxn txn = it.next();
                    if (txn.firstOffset() <= batch.lastOffset()) {
                        abortedProducers.add(txn.producerId());
                        it.remove();
                    }
                }
                if (batch.isControlBatch()) {
                    abortedProducers.remove(batch.producerId());
                } else if (!(batch.isTransactional() && abortedProducers.contains(batch.producerId()))) {
                    for (Record record : batch.records()) {
                        latest.put(text(record.key()), text(record.value()));
                    }
                }
                next = batch.nextOffset();
            }
            if (next == before) {
                break;
            }
        }
        latest.remove("filler");
        return latest;
    }

    @Test
    void recordsOfAnAbortedTransactionGoAndNeverHideTheCommittedValueBeforeThem() {
        PartitionLog log = open(Map.of());
        ctx.append(log, "k1", "committed");                 // 0
        txn(log, A, "k1", "aborted", "k2", "aborted");      // 1-2
        ctx.append(log, "k3", "plain");                     // 3
        marker(log, A, ControlRecordType.ABORT);             // 4
        dirtAndRoll(log, 0);                                // 5
        Map<String, String> before = committedLatest(log);
        assertThat(before).containsExactly(Map.entry("k1", "committed"), Map.entry("k3", "plain"));

        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(result.abortedRecordsRemoved()).isEqualTo(2);
        assertThat(stored(log)).containsExactly("0:k1=committed", "3:k3=plain", "4:ABORT");
        assertThat(committedLatest(log)).isEqualTo(before);
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).as("the marker and its entry stay one more pass")
            .containsExactly(new AbortedTxn(A, 1, 4, 5));
    }

    @Test
    void anAbortMarkerGoesOnceItsRecordsAreGoneAndItsDeleteHorizonHasPassed() {
        PartitionLog log = open(Map.of());
        txn(log, A, "k1", "aborted");                       // 0
        marker(log, A, ControlRecordType.ABORT);             // 1
        dirtAndRoll(log, 0);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(stored(log)).containsExactly("1:ABORT");

        dirtAndRoll(log, 1);
        long secondPass = ctx.time.milliseconds();
        cleaner.cleanIfNeeded(log, secondPass);
        assertThat(stored(log)).as("no record of the transaction is left: the countdown starts").containsExactly("1:ABORT@horizon");
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).as("nothing left to skip").isEmpty();

        ctx.time.sleep(DELETE_RETENTION_MS - 1);
        dirtAndRoll(log, 2);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(stored(log)).as("before the horizon").containsExactly("1:ABORT@horizon");

        ctx.time.sleep(1);
        dirtAndRoll(log, 3);
        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(result.markersRemoved()).isEqualTo(1);
        assertThat(stored(log)).isEmpty();
    }

    @Test
    void aCommitMarkerStaysWhileAnyRecordOfItsTransactionRemains() {
        PartitionLog log = open(Map.of());
        txn(log, A, "k1", "in-txn", "k2", "in-txn");        // 0-1
        marker(log, A, ControlRecordType.COMMIT);            // 2
        dirtAndRoll(log, 0);
        for (int round = 1; round <= 3; round++) {
            ctx.time.sleep(DELETE_RETENTION_MS * 2);
            dirtAndRoll(log, round);
            cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
            assertThat(stored(log)).as("pass " + round).containsExactly("0:k1=in-txn", "1:k2=in-txn", "2:COMMIT");
        }

        ctx.append(log, "k1", "newer");
        ctx.append(log, "k2", "newer");
        dirtAndRoll(log, 4);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(stored(log)).as("records seen by this pass: kept one more").contains("2:COMMIT").doesNotContain("0:k1=in-txn");
        dirtAndRoll(log, 5);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(stored(log)).contains("2:COMMIT@horizon");
        ctx.time.sleep(DELETE_RETENTION_MS);
        dirtAndRoll(log, 6);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(stored(log)).noneMatch(s -> s.contains("COMMIT"));
        assertThat(committedLatest(log)).containsExactly(Map.entry("k1", "newer"), Map.entry("k2", "newer"));
    }

    @Test
    void nothingAtOrPastTheLastStableOffsetIsCleaned() {
        PartitionLog log = open(Map.of());
        for (int i = 0; i < 5; i++) {
            ctx.append(log, "k", "before-" + i);             // 0-4
        }
        log.roll();
        txn(log, A, "t", "open");                           // 5: undecided
        for (int i = 0; i < 5; i++) {
            ctx.append(log, "k", "after-" + i);             // 6-10
        }
        log.roll();
        ctx.append(log, "k", "last");                       // 11
        log.roll();
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.lastStableOffset()).isEqualTo(5);

        CleanResult first = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(first.endOffset()).as("the segment holding the open transaction is not cleanable").isEqualTo(5);
        assertThat(stored(log)).containsExactly("4:k=before-4", "5:t=open", "6:k=after-0", "7:k=after-1", "8:k=after-2",
            "9:k=after-3", "10:k=after-4", "11:k=last");

        marker(log, A, ControlRecordType.COMMIT);            // 12
        log.roll();
        log.updateHighWatermark(log.logEndOffset());
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(stored(log)).containsExactly("5:t=open", "11:k=last", "12:COMMIT");
    }

    @Test
    void theAbortedTransactionOfACleanedSegmentIsIndexedThereAndSurvivesRestarts() throws Exception {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "4096"));
        txn(log, A, "k1", "aborted-a");                     // 0
        txn(log, B, "k2", "aborted-b");                     // 1
        log.roll();
        ctx.append(log, "k3", "plain");                     // 2
        marker(log, A, ControlRecordType.ABORT);             // 3
        log.roll();
        txn(log, B, "k4", "aborted-b");                     // 4
        marker(log, B, ControlRecordType.ABORT);             // 5
        dirtAndRoll(log, 0);
        List<AbortedTxn> indexed = log.collectAbortedTransactions(0, log.logEndOffset());
        assertThat(indexed).containsExactly(new AbortedTxn(A, 0, 3, 1), new AbortedTxn(B, 1, 5, 6));

        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(log.inactiveSegments()).extracting(LogSegment::baseOffset).as("merged into one").containsExactly(0L);
        assertThat(stored(log)).containsExactly("2:k3=plain", "3:ABORT", "5:ABORT");
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).isEqualTo(indexed);
        assertThat(LogSegment.file(log.dir(), 0, LogSegment.TXN_INDEX_SUFFIX)).exists();
        assertThat(Files.size(LogSegment.file(log.dir(), 0, LogSegment.TXN_INDEX_SUFFIX))).isEqualTo(2 * 34);

        Path crashed = CleanerTestContext.copyDirectory(log.dir(), root.resolve("crash"));
        PartitionLog afterCrash = ctx.open(crashed, new LogStartState(false, 0, 0, log.logEndOffset()));
        // Rebuilt from what the log now holds: no aborted record is left, so nothing needs skipping.
        assertThat(afterCrash.collectAbortedTransactions(0, afterCrash.logEndOffset())).isSubsetOf(indexed);
        assertThat(committedLatest(afterCrash)).isEqualTo(committedLatest(log)).containsOnlyKeys("k3");
        afterCrash.close();
        long end = log.logEndOffset();
        log.close();
        PartitionLog afterCleanRestart = ctx.open(root.resolve(CleanerTestContext.PARTITION_DIR), new LogStartState(true, end, 0, end));
        assertThat(afterCleanRestart.collectAbortedTransactions(0, end)).isEqualTo(indexed);
        afterCleanRestart.close();
    }

    @Test
    void whatAReadCommittedConsumerSeesOfEachKeyNeverChanges() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "600"));
        java.util.Random random = new java.util.Random(7);
        Map<Long, Boolean> open = new HashMap<>();
        for (int i = 0; i < 200; i++) {
            int choice = random.nextInt(6);
            long producer = random.nextBoolean() ? A : B;
            String key = "k" + random.nextInt(8);
            if (choice < 2) {
                ctx.append(log, key, "plain-" + i);
            } else if (choice < 4) {
                txn(log, producer, key, "txn-" + i);
                open.put(producer, true);
            } else if (open.getOrDefault(producer, false)) {
                marker(log, producer, choice == 4 ? ControlRecordType.COMMIT : ControlRecordType.ABORT);
                open.put(producer, false);
            }
            if (i % 40 == 39) {
                Map<String, String> before = committedLatest(log);
                log.roll();
                log.updateHighWatermark(log.logEndOffset());
                cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
                assertThat(committedLatest(log)).as("after a pass at step " + i).isEqualTo(before);
                ctx.time.sleep(DELETE_RETENTION_MS / 3);
            }
        }
    }
}
