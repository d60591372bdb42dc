package dev.borges.storage.log;

import static dev.borges.storage.log.TestBatches.batch;
import static dev.borges.storage.log.TestBatches.expected;
import static dev.borges.storage.log.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.MockTime;
import dev.borges.storage.config.LogConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for defects in the partition log found by crash testing
 * ({@link LogCrashRecoveryTest}) and model-based testing ({@link PartitionLogPropertyTest}): each
 * test is the smallest reproduction found of one defect, and fails if it comes back.
 */
class LogRegressionTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;

    private final MockTime time = new MockTime(NOW);
    private final List<PartitionLog> opened = new java.util.ArrayList<>();

    @AfterEach
    void closeAll() {
        for (PartitionLog log : opened) {
            try {
                log.close();
            } catch (RuntimeException e) {
                // ignore
            }
        }
    }

    /**
     * Found by the property test once it read with TXN_COMMITTED: a truncation that deleted the
     * segment the high watermark's position pointed into, leaving the high watermark at the new log
     * end, kept that stale position, and the next read bounded by it ran past the high watermark.
     */
    @Test
    void aReadBoundedByTheHighWatermarkStopsThereAfterATruncationDeletedItsSegment() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"), LogStartState.NEW);
        log.appendAsLeader(batch(0, 1, NOW), 0);
        log.appendAsLeader(batch(1, 1, NOW), 0);
        log.roll();
        log.updateHighWatermark(2); // at the log end: its position is the new segment's start
        for (int i = 2; i < 8; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.truncateTo(2);          // deletes the segments from 2 on; the high watermark stays 2
        log.appendAsLeader(batch(2, 1, NOW), 0);

        for (FetchIsolation isolation : List.of(FetchIsolation.HIGH_WATERMARK, FetchIsolation.TXN_COMMITTED)) {
            assertThat(TestBatches.contents(log.read(0, 10_000, isolation, false).records())).as(isolation.name())
                .containsExactlyElementsOf(expected(0, 0, 2));
        }
    }

    private PartitionLog open(Path dir, Map<String, String> config, LogStartState start) {
        PartitionLog log = PartitionLog.open(dir, LogConfig.of(config), start, time, PartitionLog::deleteNow);
        opened.add(log);
        return log;
    }

    private PartitionLog open(Map<String, String> config, LogStartState start) {
        return open(root.resolve("live").resolve("orders-0"), config, start);
    }

    private Path crashCopy(PartitionLog log, String name) {
        return CrashCopies.copy(log.dir(), root.resolve(name).resolve("orders-0"));
    }

    // ---- recovery rebuilding indexes into files too small for them -------------------------------

    /** No recovery point checkpoint (LogStartState.NEW-like): closed segments are recovered too. */
    @Test
    void uncleanOpenRecoversClosedSegmentsWhoseTimeIndexWasTrimmed() {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "500", LogConfig.INDEX_INTERVAL_BYTES, "100");
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0); // every record has the same timestamp
        }
        assertThat(log.numberOfSegments()).isGreaterThan(2);
        PartitionLog reopened = open(crashCopy(log, "crash"), config, new LogStartState(false, 0, 0, 0));
        assertThat(readAll(reopened, 0)).containsExactlyElementsOf(expected(0, 0, 30));
    }

    /** Killed after close() trimmed the indexes but before the clean-shutdown marker was written. */
    @Test
    void recoversACrashAfterCloseBeforeTheCleanShutdownMarker() {
        Map<String, String> config = Map.of(LogConfig.INDEX_INTERVAL_BYTES, "100");
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.close();
        opened.remove(log);
        // everything was flushed: recovery point = log end; recovery still re-checks the active segment
        PartitionLog reopened = open(log.dir(), config, new LogStartState(false, 10, 0, 10));
        assertThat(readAll(reopened, 0)).containsExactlyElementsOf(expected(0, 0, 10));
    }

    /** A closed segment lost its offset index; its trimmed time index has no spare slot. */
    @Test
    void rebuildsTheLostOffsetIndexOfAClosedSegment() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "500", LogConfig.INDEX_INTERVAL_BYTES, "100");
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        Path copy = crashCopy(log, "crash");
        Files.delete(LogSegment.file(copy, 0, LogSegment.INDEX_SUFFIX));
        PartitionLog reopened = open(copy, config, new LogStartState(false, log.recoveryPoint(), 0, 0));
        assertThat(readAll(reopened, 0)).containsExactlyElementsOf(expected(0, 0, 30));
    }

    /**
     * A rebuild can need more entries than segment.index.bytes holds: after a reopen the first
     * batch is not indexed (bytesSinceLastIndexEntry restarts at 0), so the original index was
     * sparser than the rebuild and filled up exactly when the segment rolled.
     */
    @Test
    void rebuildsAnOffsetIndexNeedingMoreEntriesThanTheOriginalHeld() {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_INDEX_BYTES, "96", LogConfig.INDEX_INTERVAL_BYTES, "0");
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 12; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.close();
        opened.remove(log);
        log = open(log.dir(), config, new LogStartState(true, 12, 0, 12));
        log.appendAsLeader(batch(12, 1, NOW), 0);
        log.appendAsLeader(batch(13, 1, NOW), 0);
        PartitionLog reopened = open(crashCopy(log, "crash"), config, new LogStartState(false, log.recoveryPoint(), 0, 0));
        assertThat(readAll(reopened, 0)).containsExactlyElementsOf(expected(0, 0, 14));
    }

    // ---- an empty index file of a closed segment re-preallocated on open ------------------------

    @Test
    void emptyIndexOfAClosedSegmentStaysEmptyAcrossACleanRestart() {
        PartitionLog log = closedSegmentWithEmptyIndexAfterARestart();
        assertThat(CrashCopies.size(LogSegment.file(log.dir(), 0, LogSegment.INDEX_SUFFIX)))
            .as("a closed segment's empty index is not preallocated again").isZero();
    }

    @Test
    void recoversACrashAfterACleanRestartWithAClosedSegmentWithoutIndexEntries() {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_INDEX_BYTES, "96", LogConfig.INDEX_INTERVAL_BYTES, "0");
        PartitionLog log = closedSegmentWithEmptyIndexAfterARestart();
        PartitionLog reopened = open(crashCopy(log, "crash"), config, new LogStartState(false, log.recoveryPoint(), 0, 2));
        assertThat(readAll(reopened, 0)).containsExactlyElementsOf(expected(0, 0, 2));
    }

    private PartitionLog closedSegmentWithEmptyIndexAfterARestart() {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_INDEX_BYTES, "96", LogConfig.INDEX_INTERVAL_BYTES, "0");
        PartitionLog log = open(config, LogStartState.NEW);
        log.appendAsLeader(batch(0, 1, NOW), 0);
        log.close();
        opened.remove(log);
        log = open(log.dir(), config, new LogStartState(true, 1, 0, 1));
        log.appendAsLeader(batch(1, 1, NOW), 0); // first batch after a reopen: not indexed
        log.roll(); // segment 0 closes with 0 offset index entries: its .index is trimmed to 0 bytes
        assertThat(CrashCopies.size(LogSegment.file(log.dir(), 0, LogSegment.INDEX_SUFFIX))).isZero();
        log.close();
        opened.remove(log);
        return open(log.dir(), config, new LogStartState(true, 2, 0, 2));
    }

    // ---- truncateTo below the log start / below the first segment -----------------------------

    @Test
    void truncateToBelowTheLogStartMovesTheLogStartDown() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"), LogStartState.NEW);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.updateHighWatermark(30);
        log.advanceLogStartOffset(17);
        log.truncateTo(15);
        assertThat(log.logEndOffset()).isEqualTo(15);
        assertThat(log.logStartOffset()).as("Kafka: min(logStart, target)").isEqualTo(15);
        assertThat(log.highWatermark()).isEqualTo(15);
        assertThat(log.appendAsLeader(batch(100, 1, NOW), 0).firstOffset()).isEqualTo(15);
        assertThat(readAll(log, log.logStartOffset())).containsExactly("15:key-100=value-100");
    }

    @Test
    void truncateToBelowTheFirstSegmentStartsTheLogAtTheTarget() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"), LogStartState.NEW);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.updateHighWatermark(30);
        log.advanceLogStartOffset(20);
        log.truncateTo(12);
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.logStartOffset()).isEqualTo(12);
        assertThat(log.appendAsLeader(batch(100, 1, NOW), 0).firstOffset()).isEqualTo(12);
    }

    // ---- truncateTo losing the segment's maximum timestamp -------------------------------------

    @Test
    void timestampLookupsFindTheRecordsLeftByATruncation() {
        PartitionLog log = open(Map.of(), LogStartState.NEW);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(i, 1, NOW + i * 10L), 0);
        }
        log.truncateTo(4);
        assertThat(log.offsetForTimestamp(NOW + 10)).contains(new TimestampLookup(NOW + 10, 1));
        assertThat(log.offsetForTimestamp(TimestampLookup.MAX_TIMESTAMP)).contains(new TimestampLookup(NOW + 30, 3));
    }

    @Test
    void timeRetentionJudgesATruncatedSegmentByItsRecords() {
        PartitionLog log = open(Map.of(LogConfig.RETENTION_MS, "60000"), LogStartState.NEW);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.truncateTo(4);
        log.roll();
        log.appendAsLeader(batch(4, 1, NOW + 100_000), 0);
        log.updateHighWatermark(log.logEndOffset());
        time.sleep(120_000); // the truncated segment's newest record is 120 s old
        assertThat(log.deleteOldSegments()).as("judged by its records, not by its file's modification time").isEqualTo(1);
    }

    // ---- log start checkpoint above the recovered log end ---------------------------------------

    @Test
    void logStartCheckpointAboveTheRecoveredLogEndRestartsTheLogAtTheLogStart() {
        Map<String, String> config = Map.of();
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        int cut = log.read(5, 1, FetchIsolation.LOG_END, true).fetchOffsetMetadata().position();
        log.updateHighWatermark(10);
        log.advanceLogStartOffset(8); // checkpointed; offsets 5-9 were never flushed
        Path copy = crashCopy(log, "crash");
        CrashCopies.cut(LogSegment.file(copy, 0, LogSegment.LOG_SUFFIX), cut);
        PartitionLog reopened = open(copy, config, new LogStartState(false, 0, 8, 10));
        assertThat(reopened.logStartOffset()).isLessThanOrEqualTo(reopened.logEndOffset());
        assertThat(reopened.logEndOffset()).as("Kafka: delete everything, start again at the log start").isEqualTo(8);
        assertThat(reopened.appendAsLeader(batch(0, 1, NOW), 0).firstOffset()).isEqualTo(8);
    }

    // ---- recovery throwing on bytes it should cut ----------------------------------------------

    @Test
    void recoveryCutsABatchWhoseBaseOffsetCannotBeInTheSegment() {
        Map<String, String> config = Map.of(LogConfig.INDEX_INTERVAL_BYTES, "0", LogConfig.SEGMENT_INDEX_BYTES, "8192");
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        int last = log.read(4, 1, FetchIsolation.LOG_END, true).fetchOffsetMetadata().position();
        Path copy = crashCopy(log, "crash");
        CrashCopies.flip(LogSegment.file(copy, 0, LogSegment.LOG_SUFFIX), last + 3, 0x01); // base offset += 2^32, outside the CRC
        PartitionLog reopened = open(copy, config, new LogStartState(false, log.recoveryPoint(), 0, 0));
        assertThat(reopened.logEndOffset()).isEqualTo(4);
    }

    @Test
    void recoveryCutsAHeaderDeclaringAlmost2GiB() {
        Map<String, String> config = Map.of();
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        byte[] garbage = new byte[100];
        ByteBuffer.wrap(garbage).putLong(0, 5).putInt(8, Integer.MAX_VALUE).put(16, (byte) 2); // magic 2, length 2^31 - 1
        Path copy = crashCopy(log, "crash");
        CrashCopies.append(LogSegment.file(copy, 0, LogSegment.LOG_SUFFIX), garbage);
        PartitionLog reopened = open(copy, config, new LogStartState(false, log.recoveryPoint(), 0, 0));
        assertThat(reopened.logEndOffset()).isEqualTo(5);
    }

    // ---- an append failing after writing, leaving its bytes behind ----------------------------

    @Test
    void multiBatchAppendIntoANearlyFullTimeIndexIsAllOrNothing() {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_INDEX_BYTES, "36", LogConfig.INDEX_INTERVAL_BYTES, "0");
        PartitionLog log = open(config, LogStartState.NEW);
        ByteBuffer all = ByteBuffer.allocate(4096);
        for (int i = 0; i < 4; i++) {
            batch(i, 1, NOW + i).copyTo(all);
        }
        MemoryRecords fourBatches = MemoryRecords.readableView(all.flip());
        try {
            log.appendAsLeader(fourBatches, 0);
        } catch (IllegalStateException e) {
            // the time index may fill up part way: then none of the four batches may stay in the log
        }
        log.appendAsLeader(batch(10, 1, NOW), 0); // the producer's next (acknowledged) record
        List<String> read = readAll(log, 0);
        List<String> allFive = List.of("0:key-0=value-0", "1:key-1=value-1", "2:key-2=value-2", "3:key-3=value-3", "4:key-10=value-10");
        List<String> onlyTheNext = List.of("0:key-10=value-10");
        assertThat(read).as("either the four records then the next, or only the next at offset 0").isIn(allFive, onlyTheNext);
    }

    // ---- MAX_TIMESTAMP when the largest timestamp is below the log start -----------------------

    @Test
    void maxTimestampIgnoresRecordsBelowTheLogStart() {
        PartitionLog log = open(Map.of(), LogStartState.NEW);
        log.appendAsLeader(batch(0, 1, NOW + 500), 0);
        log.appendAsLeader(batch(1, 1, NOW), 0);
        log.appendAsLeader(batch(2, 1, NOW + 100), 0);
        log.updateHighWatermark(3);
        log.advanceLogStartOffset(1);
        assertThat(log.offsetForTimestamp(TimestampLookup.MAX_TIMESTAMP)).as("the newest readable record")
            .contains(new TimestampLookup(NOW + 100, 2));
    }

    // ---- an interrupted swap leaving stray files -----------------------------------------------

    @Test
    void swapInterruptedInStep3LeavesNoSwapIndexFiles() throws IOException {
        Path[] dirs = interruptedSwaps();
        open(dirs[0], Map.of(LogConfig.SEGMENT_BYTES, "500"), new LogStartState(true, 30, 0, 30));
        assertThat(CrashCopies.names(dirs[0])).as("after a crash in step 3").noneMatch(n -> n.endsWith(LogSegment.SWAP_SUFFIX));
    }

    @Test
    void swapInterruptedInStep2LeavesNoIndexFilesOfARemovedSegment() throws IOException {
        Path[] dirs = interruptedSwaps();
        open(dirs[1], Map.of(LogConfig.SEGMENT_BYTES, "500"), new LogStartState(true, 30, 0, 30));
        long second = Long.parseLong(dirs[2].getFileName().toString());
        assertThat(CrashCopies.names(dirs[1])).as("after a crash in step 2: index files of a segment that is gone")
            .doesNotContain(LogSegment.file(dirs[1], second, LogSegment.INDEX_SUFFIX).getFileName().toString(),
                LogSegment.file(dirs[1], second, LogSegment.TIME_INDEX_SUFFIX).getFileName().toString());
    }

    /** [crashed in step 3, crashed in step 2, a path named after the second old segment's base]. */
    private Path[] interruptedSwaps() throws IOException {
        Map<String, String> config = Map.of(LogConfig.SEGMENT_BYTES, "500");
        PartitionLog log = open(config, LogStartState.NEW);
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        List<Long> bases = log.inactiveSegments().stream().map(LogSegment::baseOffset).toList();
        long second = bases.get(1);
        long third = bases.get(2);
        log.close();
        opened.remove(log);
        Path dir = log.dir();
        // a compacted segment for [0, third): the records at even offsets
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        for (long offset = 0; offset < third; offset += 2) {
            builder.appendWithOffset(offset, NOW, ("key-" + offset).getBytes(), ("value-" + offset).getBytes(), List.of());
        }
        MemoryRecords compacted = builder.build();
        LogSegment cleaned = LogSegment.open(dir, 0, 8192, 4096, 0, NOW, LogSegment.CLEANED_SUFFIX);
        cleaned.append(compacted.batches().iterator().next().lastOffset(), compacted);
        cleaned.flush();
        cleaned.onBecomeInactive();
        cleaned.changeFileSuffixes(LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
        cleaned.close();
        // crash in replaceSegments step 2: segment 0 renamed .deleted, the second only its log
        for (String kind : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
            Files.move(LogSegment.file(dir, 0, kind), LogSegment.file(dir, 0, kind + LogSegment.DELETED_SUFFIX));
        }
        Files.move(LogSegment.file(dir, second, LogSegment.LOG_SUFFIX),
            LogSegment.file(dir, second, LogSegment.LOG_SUFFIX + LogSegment.DELETED_SUFFIX));
        Path halfDeleted = CrashCopies.copy(dir, root.resolve("half").resolve("orders-0"));
        // crash in step 3 instead: every old segment .deleted, the swap's log renamed, not its indexes
        Files.move(LogSegment.file(dir, second, LogSegment.INDEX_SUFFIX),
            LogSegment.file(dir, second, LogSegment.INDEX_SUFFIX + LogSegment.DELETED_SUFFIX));
        Files.move(LogSegment.file(dir, second, LogSegment.TIME_INDEX_SUFFIX),
            LogSegment.file(dir, second, LogSegment.TIME_INDEX_SUFFIX + LogSegment.DELETED_SUFFIX));
        Files.move(LogSegment.file(dir, 0, LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX), LogSegment.file(dir, 0, LogSegment.LOG_SUFFIX));

        return new Path[] {dir, halfDeleted, Path.of(Long.toString(second))};
    }
}
