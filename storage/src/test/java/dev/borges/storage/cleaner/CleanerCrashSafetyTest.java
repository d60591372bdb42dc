package dev.borges.storage.cleaner;

import static dev.borges.storage.cleaner.CleanerTestContext.copyDirectory;
import static dev.borges.storage.cleaner.CleanerTestContext.fileNames;
import static dev.borges.storage.cleaner.CleanerTestContext.readAll;
import static dev.borges.storage.cleaner.CleanerTestContext.rollAndCommit;
import static dev.borges.storage.cleaner.CleanerTestContext.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.index.AbortedTxn;
import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A crash at each step of swapping a cleaned segment in, simulated by copying the partition
 * directory at that instant (the files as a killed process leaves them) and renaming files in the
 * copy as {@link PartitionLog#replaceSegments} would have got to. The copy is then opened as after
 * an unclean shutdown. Invariants:
 * <ul>
 *   <li>AllOrNothing — the log reads exactly as before the interrupted group's swap, or exactly as
 *       after it, never a mix;</li>
 *   <li>NoLostKey — the latest value of every key is still there;</li>
 *   <li>NoLeftovers — no {@code .cleaned}, {@code .swap} or {@code .deleted} file survives the restart;</li>
 *   <li>AbortedTransactions — the aborted transactions indexed are those before the swap or after it,
 *       as the records are, and committed records that are the latest of their key stay visible
 *       to read_committed consumers;</li>
 *   <li>Converges — cleaning the recovered log again gives the same records as a pass that never crashed.</li>
 * </ul>
 */
class CleanerCrashSafetyTest {
    private static final String[] LEFTOVER_SUFFIXES = {LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX, LogSegment.DELETED_SUFFIX};

    @TempDir
    Path root;

    /** How far the swap of the interrupted group got (in {@code SegmentSwap}'s order). */
    enum CrashPoint {
        /** The cleaned segment is complete; nothing renamed yet. */
        CLEANED_WRITTEN(false),
        /** Its index files are {@code .swap}, its log file still {@code .cleaned}: the swap has not begun. */
        SWAP_HALF_RENAMED(false),
        /** All its files are {@code .swap}; the old segments are still live. */
        SWAP_RENAMED(true),
        /** The first old segment's log and offset index are {@code .deleted}, its other files and the other segments still live. */
        SOME_OLD_DELETED(true),
        /** Every old segment is {@code .deleted}; the new one is still {@code .swap}. */
        ALL_OLD_DELETED(true),
        /** The new segment's index files are live, its log file still {@code .swap}. */
        LIVE_HALF_RENAMED(true),
        /** The swap finished; the pass died before the checkpoint was written. */
        SWAPPED(true);

        final boolean expectsCleaned;

        CrashPoint(boolean expectsCleaned) {
            this.expectsCleaned = expectsCleaned;
        }
    }

    static Stream<Arguments> crashes() {
        List<Arguments> cases = new ArrayList<>();
        for (CrashPoint point : CrashPoint.values()) {
            cases.add(Arguments.of(point, 0));
            cases.add(Arguments.of(point, 1));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} in group {1}")
    @MethodSource("crashes")
    void aCrashDuringTheSwapLeavesTheGroupEitherUncleanedOrCleaned(CrashPoint point, int crashGroup) {
        CleanerTestContext reference = new CleanerTestContext(root.resolve("reference"), config());
        PartitionLog referenceLog = buildScenario(reference);
        cleaner().cleanIfNeeded(referenceLog, reference.time.milliseconds());
        List<CleanerTestContext.Entry> cleanedWithoutCrash = readAll(referenceLog);

        CleanerTestContext ctx = new CleanerTestContext(root.resolve("live"), config());
        PartitionLog log = buildScenario(ctx);
        Path crashRoot = root.resolve("crashed");
        CrashingSwapper swapper = new CrashingSwapper(point, crashGroup, crashRoot);
        LogCleaner crashing = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16), swapper);
        assertThatThrownBy(() -> crashing.cleanIfNeeded(log, ctx.time.milliseconds())).isInstanceOf(SimulatedCrash.class);
        if (point == CrashPoint.SOME_OLD_DELETED && crashGroup == 0) {
            assertThat(swapper.oldSegmentCount).as("the interrupted group merges segments").isGreaterThan(1);
        }
        copyCheckpoint(ctx.root, crashRoot);
        assertThat(swapper.abortedBeforeGroup).as("the scenario has aborted transactions").isNotEmpty();

        PartitionLog recovered = ctx.reopenAfterCrash(crashRoot.resolve(CleanerTestContext.PARTITION_DIR), log);

        List<CleanerTestContext.Entry> contents = readAll(recovered);
        assertThat(contents).isEqualTo(point.expectsCleaned ? swapper.afterGroup : swapper.beforeGroup);
        assertThat(liveValues(contents)).isEqualTo(liveValues(swapper.beforeGroup));
        assertThat(fileNames(recovered.dir())).noneMatch(CleanerCrashSafetyTest::isLeftover);
        assertThat(recovered.collectAbortedTransactions(0, recovered.logEndOffset())).as("the aborted transactions match the records")
            .isEqualTo(point.expectsCleaned ? swapper.abortedAfterGroup : swapper.abortedBeforeGroup);
        assertThat(committedValues(recovered)).as("what read_committed consumers see, compacted or not")
            .containsAll(liveCommitted(swapper.committedBeforeGroup, contents));

        LogCleaner afterRestart = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16));
        afterRestart.cleanIfNeeded(recovered, ctx.time.milliseconds());
        assertThat(readAll(recovered)).isEqualTo(cleanedWithoutCrash);
    }

    @Test
    void aCrashAfterRenamingToSwapReplacesEverySegmentOfAGroupWhoseLastSegmentWasEmptied() {
        CleanerTestContext ctx = new CleanerTestContext(root.resolve("live"), Map.of(LogConfig.SEGMENT_BYTES, "2048"));
        PartitionLog log = ctx.open();
        for (String prefix : List.of("a", "b", "b")) { // three segments; the third supersedes all of the second
            for (int i = 0; i < 10; i++) {
                ctx.append(log, prefix + i, "v" + i);
            }
            log.roll();
        }
        log.updateHighWatermark(log.logEndOffset());
        Path crashRoot = root.resolve("crashed");
        CrashingSwapper swapper = new CrashingSwapper(CrashPoint.SWAP_RENAMED, 0, crashRoot);
        LogCleaner crashing = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16), swapper);
        assertThatThrownBy(() -> crashing.cleanIfNeeded(log, ctx.time.milliseconds())).isInstanceOf(SimulatedCrash.class);

        PartitionLog recovered = ctx.reopenAfterCrash(crashRoot.resolve(CleanerTestContext.PARTITION_DIR), log);

        assertThat(swapper.oldSegmentCount).isEqualTo(2);
        assertThat(swapper.afterGroup).extracting(CleanerTestContext.Entry::offset).doesNotContain(10L, 19L).contains(9L, 20L);
        assertThat(readAll(recovered)).isEqualTo(swapper.afterGroup);
        assertThat(fileNames(recovered.dir())).noneMatch(CleanerCrashSafetyTest::isLeftover);
    }

    @Test
    void restartLeavesNoSwapIndexFilesAfterACrashMidwayThroughTheFinalRename() {
        CleanerTestContext ctx = new CleanerTestContext(root.resolve("live"), config());
        PartitionLog log = buildScenario(ctx);
        Path crashRoot = root.resolve("crashed");
        CrashingSwapper swapper = new CrashingSwapper(CrashPoint.LIVE_HALF_RENAMED, 0, crashRoot);
        LogCleaner crashing = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16), swapper);
        assertThatThrownBy(() -> crashing.cleanIfNeeded(log, ctx.time.milliseconds())).isInstanceOf(SimulatedCrash.class);

        PartitionLog recovered = ctx.reopenAfterCrash(crashRoot.resolve(CleanerTestContext.PARTITION_DIR), log);

        assertThat(fileNames(recovered.dir())).noneMatch(CleanerCrashSafetyTest::isLeftover);
        assertThat(LogSegment.file(recovered.dir(), swapper.cleanedBase, LogSegment.TXN_INDEX_SUFFIX)).as("the new segment's own").exists();
        assertThat(recovered.collectAbortedTransactions(0, recovered.logEndOffset())).isEqualTo(swapper.abortedAfterGroup);
    }

    @Test
    void aCompactedSegmentThatEndsBeforeTheLastSegmentItReplacesIsRefused() throws IOException {
        // A restart completes an interrupted swap by the new segment's offset range, so a segment that
        // ended early could leave old and new segments live together; the swap refuses it up front.
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 10, 10);
        log.roll();
        ctx.appendRounds(log, 10, 10);
        rollAndCommit(log);
        List<CleanerTestContext.Entry> before = readAll(log);
        List<LogSegment> old = log.inactiveSegments();
        LogSegment early = LogSegment.open(log.dir(), 0, 1 << 20, 4096, 0, CleanerTestContext.NOW, LogSegment.CLEANED_SUFFIX);
        early.append(2, new dev.borges.protocol.record.RecordBatchBuilder(0)
            .append(CleanerTestContext.NOW, CleanerTestContext.bytes("k0"), CleanerTestContext.bytes("x"))
            .append(CleanerTestContext.NOW, CleanerTestContext.bytes("k1"), CleanerTestContext.bytes("x"))
            .append(CleanerTestContext.NOW, CleanerTestContext.bytes("k2"), CleanerTestContext.bytes("x")).build());

        assertThatThrownBy(() -> log.replaceSegments(early, old)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("cannot replace");
        assertThat(readAll(log)).isEqualTo(before);
        early.deleteIfExists();
    }

    /**
     * A log cleaned once (so that its cleaned segments are small and the next pass merges them),
     * then given more records, tombstones among them, and time for the first tombstones to expire.
     * Two transactional producers write among them, one transaction in three aborted, so the
     * segments swapped carry aborted transactions in their index.
     */
    private static PartitionLog buildScenario(CleanerTestContext ctx) {
        PartitionLog log = ctx.open();
        Map<Long, Integer> sequences = new java.util.HashMap<>();
        for (int i = 0; i < 150; i++) {
            String key = "k" + (i * 7 % 13);
            if (i % 6 == 1) {
                transactional(log, ctx, sequences, 1 + i % 2, key, "t" + i);
            } else if (i % 6 == 4) {
                log.appendTxnMarker(1 + (i + 1) % 2, (short) 0, 0, i % 18 == 4 ? ControlRecordType.ABORT : ControlRecordType.COMMIT, 0);
            } else {
                ctx.append(log, key, i % 10 == 9 ? null : "v" + i);
            }
        }
        rollAndCommit(log);
        cleaner().cleanIfNeeded(log, ctx.time.milliseconds());
        ctx.time.sleep(1_500);
        for (int i = 0; i < 40; i++) {
            if (i % 10 == 3) {
                transactional(log, ctx, sequences, 1, "k" + (i % 5), "aborted-" + i);
                log.appendTxnMarker(1, (short) 0, 0, ControlRecordType.ABORT, 0);
            } else {
                ctx.append(log, "k" + (i % 5), i % 8 == 7 ? null : "w" + i);
            }
        }
        rollAndCommit(log);
        return log;
    }

    private static void transactional(PartitionLog log, CleanerTestContext ctx, Map<Long, Integer> sequences, long producerId,
                                      String key, String value) {
        int sequence = sequences.merge(producerId, 1, Integer::sum) - 1;
        log.appendAsLeader(new dev.borges.protocol.record.RecordBatchBuilder(0L).producer(producerId, (short) 0, sequence)
            .transactional(true).append(ctx.time.milliseconds(), CleanerTestContext.bytes(key), CleanerTestContext.bytes(value))
            .build(), 0);
    }

    /** The values a read_committed consumer gets, in order: records of aborted transactions and markers left out. */
    private static List<String> committedValues(PartitionLog log) {
        List<String> values = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.lastStableOffset()) {
            dev.borges.storage.log.FetchDataInfo info = log.read(next, 1 << 20, dev.borges.storage.log.FetchIsolation.TXN_COMMITTED, true);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(info.records().sizeInBytes());
            info.records().copyTo(buffer);
            List<AbortedTxn> aborted = info.abortedTransactions().orElseThrow();
            long before = next;
            for (RecordBatch batch : dev.borges.protocol.record.MemoryRecords.readableView(buffer.flip()).completeBatches()) {
                next = batch.nextOffset();
                boolean abortedBatch = batch.isTransactional() && aborted.stream().anyMatch(t -> t.producerId() == batch.producerId()
                    && t.firstOffset() <= batch.baseOffset() && batch.baseOffset() <= t.lastOffset());
                if (batch.isControlBatch() || abortedBatch) {
                    continue;
                }
                for (Record record : batch.records()) {
                    values.add(record.offset() + ":" + text(record.value()));
                }
            }
            if (next == before) {
                break;
            }
        }
        return values;
    }

    /** The committed values that are the latest of their key among {@code contents}: no swap may lose them. */
    private static List<String> liveCommitted(List<String> committed, List<CleanerTestContext.Entry> contents) {
        Map<String, Long> latestOffset = new LinkedHashMap<>();
        contents.forEach(e -> latestOffset.put(e.key(), e.offset()));
        java.util.Set<Long> latest = new java.util.HashSet<>(latestOffset.values());
        return committed.stream().filter(v -> latest.contains(Long.parseLong(v.substring(0, v.indexOf(':'))))).toList();
    }

    private static Map<String, String> config() {
        return Map.of(LogConfig.DELETE_RETENTION_MS, "1000");
    }

    private static LogCleaner cleaner() {
        return new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16));
    }

    private static Map<String, String> liveValues(List<CleanerTestContext.Entry> entries) {
        Map<String, String> latest = new LinkedHashMap<>(CleanerTestContext.latestByKey(entries));
        latest.values().removeIf(value -> value == null);
        return latest;
    }

    private static boolean isLeftover(String fileName) {
        return Stream.of(LEFTOVER_SUFFIXES).anyMatch(fileName::endsWith);
    }

    private static void copyCheckpoint(Path from, Path to) {
        try {
            Files.copy(from.resolve(CleanerCheckpoints.FILE_NAME), to.resolve(CleanerCheckpoints.FILE_NAME),
                StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class SimulatedCrash extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SimulatedCrash() {
            super("simulated crash");
        }
    }

    /**
     * Swaps the groups before {@code crashGroup} for real; at that group records the log's contents
     * before and after its swap, copies the directory as the crash point leaves it, and throws.
     */
    private static final class CrashingSwapper implements SegmentSwapper {
        private final CrashPoint point;
        private final int crashGroup;
        private final Path crashRoot;
        private int calls;
        List<CleanerTestContext.Entry> beforeGroup;
        List<CleanerTestContext.Entry> afterGroup;
        List<AbortedTxn> abortedBeforeGroup;
        List<AbortedTxn> abortedAfterGroup;
        List<String> committedBeforeGroup;
        int oldSegmentCount;
        long cleanedBase;

        CrashingSwapper(CrashPoint point, int crashGroup, Path crashRoot) {
            this.point = point;
            this.crashGroup = crashGroup;
            this.crashRoot = crashRoot;
        }

        @Override
        public boolean swap(PartitionLog log, LogSegment cleaned, List<LogSegment> oldSegments) {
            if (calls++ < crashGroup) {
                return log.replaceSegments(cleaned, oldSegments);
            }
            oldSegmentCount = oldSegments.size();
            cleanedBase = cleaned.baseOffset();
            beforeGroup = readAll(log);
            afterGroup = replaceRange(log, beforeGroup, cleaned, oldSegments);
            abortedBeforeGroup = log.collectAbortedTransactions(0, log.logEndOffset());
            abortedAfterGroup = replaceAborted(log, abortedBeforeGroup, cleaned, oldSegments);
            committedBeforeGroup = committedValues(log);
            try {
                cleaned.txnIndex().createIfAbsent(); // the swap's first step
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (point == CrashPoint.SWAPPED) {
                assertThat(log.replaceSegments(cleaned, oldSegments)).isTrue();
                copyDirectory(log.dir(), crashRoot);
            } else {
                Path copy = copyDirectory(log.dir(), crashRoot);
                renameAsFarAs(copy, cleaned.baseOffset(), oldSegments);
            }
            throw new SimulatedCrash();
        }

        private void renameAsFarAs(Path dir, long base, List<LogSegment> oldSegments) {
            if (point == CrashPoint.CLEANED_WRITTEN) {
                return;
            }
            for (String kind : INDEX_KINDS) {
                rename(dir, base, kind, LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            }
            if (point == CrashPoint.SWAP_HALF_RENAMED) {
                return;
            }
            rename(dir, base, LogSegment.LOG_SUFFIX, LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            if (point == CrashPoint.SWAP_RENAMED) {
                return;
            }
            if (point == CrashPoint.SOME_OLD_DELETED) {
                rename(dir, oldSegments.get(0).baseOffset(), LogSegment.LOG_SUFFIX, "", LogSegment.DELETED_SUFFIX);
                rename(dir, oldSegments.get(0).baseOffset(), LogSegment.INDEX_SUFFIX, "", LogSegment.DELETED_SUFFIX);
                return;
            }
            for (LogSegment old : oldSegments) {
                rename(dir, old.baseOffset(), LogSegment.LOG_SUFFIX, "", LogSegment.DELETED_SUFFIX);
                for (String kind : INDEX_KINDS) {
                    rename(dir, old.baseOffset(), kind, "", LogSegment.DELETED_SUFFIX);
                }
            }
            if (point == CrashPoint.LIVE_HALF_RENAMED) {
                for (String kind : INDEX_KINDS) {
                    rename(dir, base, kind, LogSegment.SWAP_SUFFIX, "");
                }
            }
        }

        private static final List<String> INDEX_KINDS = List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX,
            LogSegment.TXN_INDEX_SUFFIX);

        /** Renames a segment file if it exists (an old segment has a transaction index only if it had an entry). */
        private static void rename(Path dir, long base, String kind, String from, String to) {
            try {
                Path source = LogSegment.file(dir, base, kind + from);
                if (Files.exists(source)) {
                    Files.move(source, LogSegment.file(dir, base, kind + to));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The aborted transactions with those indexed in the old segments replaced by the cleaned segment's. */
        private static List<AbortedTxn> replaceAborted(PartitionLog log, List<AbortedTxn> before, LogSegment cleaned,
                                                       List<LogSegment> oldSegments) {
            long start = oldSegments.get(0).baseOffset();
            long lastOldBase = oldSegments.get(oldSegments.size() - 1).baseOffset();
            long end = log.inactiveSegments().stream().mapToLong(LogSegment::baseOffset).filter(b -> b > lastOldBase)
                .min().orElse(log.activeSegmentBaseOffset());
            List<AbortedTxn> after = new ArrayList<>();
            before.stream().filter(t -> t.lastOffset() < start).forEach(after::add);
            try {
                after.addAll(cleaned.txnIndex().allAbortedTxns());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            before.stream().filter(t -> t.lastOffset() >= end).forEach(after::add);
            return after;
        }

        /** The log's records with those of the old segments' offset range replaced by the cleaned segment's. */
        private static List<CleanerTestContext.Entry> replaceRange(PartitionLog log, List<CleanerTestContext.Entry> before,
                                                                   LogSegment cleaned, List<LogSegment> oldSegments) {
            long start = oldSegments.get(0).baseOffset();
            long lastOldBase = oldSegments.get(oldSegments.size() - 1).baseOffset();
            long end = log.inactiveSegments().stream().mapToLong(LogSegment::baseOffset).filter(base -> base > lastOldBase)
                .min().orElse(log.activeSegmentBaseOffset());
            List<CleanerTestContext.Entry> after = new ArrayList<>();
            before.stream().filter(e -> e.offset() < start).forEach(after::add);
            after.addAll(entriesOf(cleaned));
            before.stream().filter(e -> e.offset() >= end).forEach(after::add);
            return after;
        }

        private static List<CleanerTestContext.Entry> entriesOf(LogSegment segment) {
            List<CleanerTestContext.Entry> entries = new ArrayList<>();
            try {
                int position = 0;
                RecordBatch batch;
                while ((batch = segment.log().readBatch(position)) != null) {
                    for (Record record : batch.records()) {
                        entries.add(new CleanerTestContext.Entry(record.offset(), text(record.key()), text(record.value())));
                    }
                    position += batch.sizeInBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return entries;
        }
    }
}
