package dev.borges.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.record.Records;
import dev.borges.storage.MockTime;
import dev.borges.storage.config.LogConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of a partition log. Each test builds a log of random batches (1-6 records of
 * 0-500 bytes, a quarter of them compressed with one of the four codecs, several segments), then
 * repeatedly takes a {@link CrashCopies crash copy} of its directory without closing it, damages
 * the copy as a crash can (a torn tail, preallocated zeros or garbage after the last batch, a
 * flipped byte, lost or corrupt index files, a cut older segment, an interrupted segment swap) and
 * opens it as after an unclean shutdown. After every recovery:
 * <ul>
 *   <li>IntactPrefix: the batches before the first damaged one read back byte for byte, and
 *       nothing after them;</li>
 *   <li>LogEnd: the log end offset is right after the last intact batch;</li>
 *   <li>Lookups: a read from any offset starts at the batch holding it, and a timestamp lookup
 *       finds each surviving record and none of the lost ones;</li>
 *   <li>Continues: an append gets the log end offset, and a second open (clean, and unclean from
 *       another crash copy) gives the same log.</li>
 * </ul>
 * Every record of batch {@code i} has timestamp {@code NOW + 100 i + j} (j its index in the batch),
 * so the timestamps say which batch a record came from.
 */
class LogCrashRecoveryTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String PARTITION_DIR = "orders-0";
    private static final CompressionType[] CODECS = {CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD};

    /** Small segments and index files: several segments, cheap copies, index entries every few batches. */
    private static final Map<String, String> CONFIG = Map.of(
        LogConfig.SEGMENT_BYTES, "4096",
        LogConfig.SEGMENT_INDEX_BYTES, "8192",
        LogConfig.INDEX_INTERVAL_BYTES, "256");

    @TempDir
    Path root;

    private final MockTime time = new MockTime(NOW);
    private final List<PartitionLog> opened = new ArrayList<>();
    private int copies;

    /** Where crash copies go: tmpfs if there is one (closing a log fsyncs, which tests need not wait for). */
    private Path copiesRoot;

    @BeforeEach
    void chooseCopiesRoot() throws IOException {
        copiesRoot = CrashCopies.scratchDirectory(root);
    }

    @AfterEach
    void closeLogs() {
        for (PartitionLog log : opened) {
            try {
                log.close();
            } catch (RuntimeException e) {
                // already closed, or its files were deleted by the test
            }
        }
        if (!copiesRoot.startsWith(root)) {
            TestBatches.delete(copiesRoot);
        }
    }

    // ---- (a) torn tail of the active segment ----------------------------------------------------

    @Test
    void recoversATornActiveSegmentCutAnywhere() {
        Source source = build("torn", CONFIG, 11, 3, 2500);
        Path active = source.activeLogFile();
        int activeSize = (int) CrashCopies.size(active);
        Random random = new Random(11);
        java.util.SortedSet<Integer> cuts = new java.util.TreeSet<>();
        for (Stored batch : source.batches) {
            if (batch.segmentBase == source.activeBase()) {
                for (int p = batch.position - 1; p <= batch.position + RecordBatch.HEADER_SIZE; p++) {
                    cuts.add(p); // around each boundary, and every byte of each header
                }
            }
        }
        Stored last = source.batches.get(source.batches.size() - 1);
        for (int p = last.position; p <= last.end(); p++) {
            cuts.add(p); // every byte of the last batch
        }
        // every byte position where copies are cheap (tmpfs), else a sample of them
        int wanted = copiesRoot.startsWith("/dev/shm") ? activeSize + 1 : 900;
        while (cuts.subSet(0, activeSize + 1).size() < wanted) {
            cuts.add(random.nextInt(activeSize + 1));
        }
        for (int cut : cuts.subSet(0, activeSize + 1)) {
            Path copy = crashCopy(source.log);
            CrashCopies.cut(copy.resolve(active.getFileName()), cut);
            int intact = source.intactIn(source.activeBase(), cut);
            boolean reopenTwice = cut % 32 == 0 || source.isBoundary(source.activeBase(), cut);
            recoverAndCheck(copy, source, source.uncleanStart(), intact, random, reopenTwice, "cut at byte " + cut);
        }
    }

    @Test
    void recoversATornTailAfterAFlushInsideTheActiveSegment() {
        Source source = build("flushed", CONFIG, 12, 2, 3000);
        long activeBase = source.activeBase();
        Stored middle = source.batches.stream().filter(b -> b.segmentBase == activeBase).skip(2).findFirst().orElseThrow();
        source.log.flush(middle.baseOffset);
        assertThat(source.log.recoveryPoint()).isEqualTo(middle.baseOffset);
        Path active = source.activeLogFile();
        Random random = new Random(12);
        int size = (int) CrashCopies.size(active);
        for (int i = 0; i < 150; i++) {
            // a crash may lose only what came after the flush
            int cut = middle.position + random.nextInt(size - middle.position + 1);
            Path copy = crashCopy(source.log);
            CrashCopies.cut(copy.resolve(active.getFileName()), cut);
            recoverAndCheck(copy, source, source.uncleanStart(), source.intactIn(activeBase, cut), random, i % 10 == 0, "cut at byte " + cut);
        }
    }

    // ---- (b) zeros or garbage after the last batch ----------------------------------------------

    @Test
    void dropsPreallocatedZerosAfterTheLastBatch() {
        Source source = build("zeros", CONFIG, 21, 2, 1500);
        Random random = new Random(21);
        for (int length : new int[] {1, 7, 8, 11, 12, 16, 17, 60, 61, 62, 500, 4096, 1 << 16}) {
            Path copy = crashCopy(source.log);
            CrashCopies.append(copy.resolve(source.activeLogFile().getFileName()), new byte[length]);
            recoverAndCheck(copy, source, source.uncleanStart(), source.batches.size(), random, true, length + " zero bytes");
        }
    }

    @Test
    void dropsGarbageAfterTheLastBatch() {
        Source source = build("garbage", CONFIG, 22, 2, 1500);
        Random random = new Random(22);
        Stored last = source.batches.get(source.batches.size() - 1);
        Stored earlier = source.batches.get(source.batches.size() - 3);
        Map<String, byte[]> tails = new java.util.LinkedHashMap<>();
        for (int length : new int[] {1, 12, 17, 61, 100, 3000}) {
            for (int n = 0; n < 5; n++) {
                byte[] garbage = new byte[length];
                random.nextBytes(garbage);
                tails.put(length + " random bytes #" + n, garbage);
            }
        }
        tails.put("a copy of the last batch (offsets going back)", last.bytes.clone());
        tails.put("a copy of an earlier batch", earlier.bytes.clone());
        tails.put("a torn copy of the last batch", Arrays.copyOf(last.bytes, last.bytes.length - 1));
        byte[] badCrc = last.bytes.clone();
        ByteBuffer.wrap(badCrc).putLong(0, last.lastOffset + 1);
        badCrc[badCrc.length - 1] ^= 0x40;
        tails.put("a batch at the next offset with a bad CRC", badCrc);
        byte[] hugeLength = last.bytes.clone();
        ByteBuffer.wrap(hugeLength).putLong(0, last.lastOffset + 1).putInt(8, 1 << 30);
        tails.put("a header declaring 1 GiB", hugeLength);
        byte[] negativeLength = last.bytes.clone();
        ByteBuffer.wrap(negativeLength).putLong(0, last.lastOffset + 1).putInt(8, -5);
        tails.put("a header with a negative length", negativeLength);
        byte[] badMagic = last.bytes.clone();
        ByteBuffer.wrap(badMagic).putLong(0, last.lastOffset + 1).put(16, (byte) 1);
        tails.put("a batch with magic 1", badMagic);
        for (Map.Entry<String, byte[]> tail : tails.entrySet()) {
            Path copy = crashCopy(source.log);
            CrashCopies.append(copy.resolve(source.activeLogFile().getFileName()), tail.getValue());
            recoverAndCheck(copy, source, source.uncleanStart(), source.batches.size(), random, true, tail.getKey());
        }
    }

    // ---- (c) a flipped byte in one of the last batches -----------------------------------------

    @Test
    void cutsTheLogAtTheFirstBatchWithAFlippedByte() {
        Source source = build("flips", CONFIG, 31, 2, 2500);
        Random random = new Random(31);
        Path active = source.activeLogFile();
        List<Stored> inActive = source.batches.stream().filter(b -> b.segmentBase == source.activeBase()).toList();
        int checked = 0;
        for (Stored damaged : inActive.subList(Math.max(0, inActive.size() - 3), inActive.size())) {
            int index = source.batches.indexOf(damaged);
            List<Integer> positions = new ArrayList<>();
            for (int p = RecordBatch.BATCH_LENGTH_OFFSET; p < Math.min(damaged.size(), 80); p++) {
                positions.add(p); // the whole header and the first record
            }
            for (int n = 0; n < 40; n++) {
                positions.add(RecordBatch.BATCH_LENGTH_OFFSET + random.nextInt(damaged.size() - RecordBatch.BATCH_LENGTH_OFFSET));
            }
            positions.add(damaged.size() - 1);
            for (int p : positions) {
                Path copy = crashCopy(source.log);
                CrashCopies.flip(copy.resolve(active.getFileName()), damaged.position + p, 1 << random.nextInt(8));
                // the partition leader epoch (bytes 12-15) is outside the CRC, as in Kafka: such a
                // flip goes unnoticed and the records stay intact; any other byte ends the log there
                boolean epochField = p >= 12 && p < 16;
                int intact = epochField ? source.batches.size() : index;
                if (epochField) {
                    recoverAndCheckRecords(copy, source, source.uncleanStart(), "flip in the leader epoch at byte " + p);
                } else {
                    recoverAndCheck(copy, source, source.uncleanStart(), intact, random, p % 7 == 0,
                        "flip at byte " + p + " of batch " + damaged.describe());
                }
                checked++;
            }
            // an offset field that goes backwards cannot follow the previous batch
            Path copy = crashCopy(source.log);
            CrashCopies.flip(copy.resolve(active.getFileName()), damaged.position, 0x80);
            recoverAndCheck(copy, source, source.uncleanStart(), index, random, true, "negative base offset in " + damaged.describe());
        }
        assertThat(checked).isGreaterThan(200);
    }

    // ---- (d) lost or corrupt index files --------------------------------------------------------

    enum IndexDamage {
        DELETE_OFFSET_INDEX, DELETE_TIME_INDEX, DELETE_BOTH, ZERO_FILLED, GARBAGE
    }

    @Test
    void rebuildsLostOrCorruptIndexFilesOfAnySegment() {
        Source source = build("indexes", CONFIG, 41, 3, 2000);
        Random random = new Random(41);
        List<Long> bases = source.segmentBases();
        Map<Long, Integer> offsetEntries = new HashMap<>();
        source.log.inactiveSegments().forEach(s -> offsetEntries.put(s.baseOffset(), s.offsetIndex().entries()));
        for (long base : bases) {
            for (IndexDamage damage : IndexDamage.values()) {
                Path copy = crashCopy(source.log);
                damageIndexes(copy, base, damage, random);
                String context = damage + " of segment " + base;
                recoverAndCheck(copy, source, source.uncleanStart(), source.batches.size(), random, false, context, recovered -> {
                    checkEveryLookup(recovered, source.batches, context);
                    for (LogSegment segment : recovered.inactiveSegments()) {
                        segment.offsetIndex().sanityCheck();
                        segment.timeIndex().sanityCheck();
                        if (segment.baseOffset() == base) {
                            assertThat(segment.offsetIndex().entries()).as(context + ": rebuilt like the original")
                                .isEqualTo(offsetEntries.get(base));
                        }
                    }
                });
            }
        }
    }

    @Test
    void rebuildsLostIndexFilesAfterACleanShutdown() {
        Source source = build("clean-indexes", CONFIG, 42, 3, 2000);
        close(source.log);
        Random random = new Random(42);
        for (long base : source.segmentBases()) {
            for (IndexDamage damage : IndexDamage.values()) {
                Path copy = CrashCopies.copy(source.dir, newCopyDir());
                damageIndexes(copy, base, damage, random);
                PartitionLog reopened = open(copy, CONFIG, source.cleanStart());
                String context = damage + " of segment " + base + " after a clean shutdown";
                assertThat(reopened.logEndOffset()).as(context).isEqualTo(source.endOffset(source.batches.size()));
                assertThat(describe(readStored(reopened))).as(context).containsExactlyElementsOf(describe(source.batchBytes(source.batches)));
                checkEveryLookup(reopened, source.batches, context);
            }
        }
    }

    private static void damageIndexes(Path dir, long base, IndexDamage damage, Random random) {
        Path offsetIndex = LogSegment.file(dir, base, LogSegment.INDEX_SUFFIX);
        Path timeIndex = LogSegment.file(dir, base, LogSegment.TIME_INDEX_SUFFIX);
        try {
            switch (damage) {
                case DELETE_OFFSET_INDEX -> Files.delete(offsetIndex);
                case DELETE_TIME_INDEX -> Files.delete(timeIndex);
                case DELETE_BOTH -> {
                    Files.delete(offsetIndex);
                    Files.delete(timeIndex);
                }
                case ZERO_FILLED -> {
                    CrashCopies.overwrite(offsetIndex, new byte[8192]);
                    CrashCopies.overwrite(timeIndex, new byte[8192]);
                }
                case GARBAGE -> {
                    byte[] garbage = new byte[8192];
                    random.nextBytes(garbage);
                    CrashCopies.overwrite(offsetIndex, garbage);
                    random.nextBytes(garbage);
                    CrashCopies.overwrite(timeIndex, garbage);
                }
                default -> throw new IllegalArgumentException(damage.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- (e) a cut closed segment ---------------------------------------------------------------

    @Test
    void cutsAClosedSegmentAndDeletesTheSegmentsAfterIt() {
        Source source = build("cut-closed", CONFIG, 51, 4, 500);
        List<Long> bases = source.segmentBases();
        long victim = bases.get(1);
        Path victimFile = LogSegment.file(source.dir, victim, LogSegment.LOG_SUFFIX);
        int size = (int) CrashCopies.size(victimFile);
        Random random = new Random(51);
        // no recovery point checkpoint: everything is recovered
        LogStartState start = new LogStartState(false, 0, 0, source.log.highWatermark());
        List<Integer> cuts = new ArrayList<>();
        for (Stored batch : source.batches) {
            if (batch.segmentBase == victim) {
                cuts.addAll(List.of(batch.position, batch.position + 1, batch.position + 12, batch.position + 61, batch.end() - 1));
            }
        }
        for (int n = 0; n < 60; n++) {
            cuts.add(random.nextInt(size));
        }
        for (int cut : cuts) {
            Path copy = crashCopy(source.log);
            CrashCopies.cut(copy.resolve(victimFile.getFileName()), cut);
            int intact = source.intactIn(victim, cut);
            if (source.isBoundary(victim, cut)) {
                // Cut exactly between batches, the segment holds no invalid byte: recovery cannot tell
                // this from a segment compaction shortened, so (as in Kafka) the later segments stay and
                // the lost offsets are a gap. A crash cannot do this (a roll flushes the closed segment
                // before the next one takes a byte); only a damaged disk can.
                List<Stored> kept = source.batches.stream().filter(b -> b.segmentBase != victim || b.end() <= cut).toList();
                PartitionLog recovered = open(copy, source.config, start);
                assertThat(describe(readStored(recovered))).as("boundary cut at " + cut).containsExactlyElementsOf(describe(source.batchBytes(kept)));
                assertThat(recovered.logEndOffset()).isEqualTo(source.endOffset(source.batches.size()));
                checkEveryLookup(recovered, kept, "boundary cut at " + cut);
                close(recovered);
                continue;
            }
            recoverAndCheck(copy, source, start, intact, random, cut % 5 == 0, "segment " + victim + " cut at " + cut, recovered -> {
                assertThat(recovered.activeSegmentBaseOffset()).as("the cut segment takes appends again").isEqualTo(victim);
                for (long later : bases.subList(2, bases.size())) {
                    assertThat(LogSegment.file(copy, later, LogSegment.LOG_SUFFIX)).as("follows invalid data").doesNotExist();
                }
            });
        }
    }

    // ---- recovery point -------------------------------------------------------------------------

    @Test
    void trustsSegmentsBelowTheRecoveryPointAndRecoversFromItsSegmentOn() {
        Source source = build("recovery-point", CONFIG, 61, 4, 500);
        List<Long> bases = source.segmentBases();
        Stored inFirst = source.batches.stream().filter(b -> b.segmentBase == bases.get(0)).skip(1).findFirst().orElseThrow();
        Random random = new Random(61);

        // A record byte flipped in a segment below the recovery point: never scanned, so kept as is.
        Path copy = crashCopy(source.log);
        CrashCopies.flip(LogSegment.file(copy, bases.get(0), LogSegment.LOG_SUFFIX), inFirst.position + inFirst.size() - 2, 0x10);
        CrashCopies.cut(copy.resolve(source.activeLogFile().getFileName()), 0);
        PartitionLog trusting = open(copy, CONFIG, source.uncleanStart());
        int activeFirst = source.intactIn(source.activeBase(), 0);
        assertThat(trusting.logEndOffset()).isEqualTo(source.endOffset(activeFirst));
        List<byte[]> read = readStored(trusting);
        assertThat(read).hasSize(activeFirst);
        int damaged = source.batches.indexOf(inFirst);
        assertThat(RecordBatch.wrap(ByteBuffer.wrap(read.get(damaged))).isValid()).as("below the recovery point: not checked").isFalse();

        // The same damage with the recovery point in that segment: cut there, later segments dropped.
        Path again = crashCopy(source.log);
        CrashCopies.flip(LogSegment.file(again, bases.get(0), LogSegment.LOG_SUFFIX), inFirst.position + inFirst.size() - 2, 0x10);
        recoverAndCheck(again, source, new LogStartState(false, inFirst.baseOffset, 0, 0), damaged, random, true, "recovery point at the damage");

        // Recovery point in the third segment: the damage in the first survives, the torn active tail is cut.
        Path third = crashCopy(source.log);
        CrashCopies.flip(LogSegment.file(third, bases.get(0), LogSegment.LOG_SUFFIX), inFirst.position + inFirst.size() - 2, 0x10);
        Stored lastBatch = source.batches.get(source.batches.size() - 1);
        CrashCopies.cut(third.resolve(source.activeLogFile().getFileName()), lastBatch.position + 5);
        PartitionLog partly = open(third, CONFIG, new LogStartState(false, bases.get(2), 0, 0));
        assertThat(partly.logEndOffset()).isEqualTo(lastBatch.baseOffset);
        assertThat(readStored(partly)).hasSize(source.batches.size() - 1);
    }

    // ---- leftovers of interrupted operations ----------------------------------------------------

    @Test
    void removesLeftoversOfInterruptedDeletesCompactionsAndWrites() {
        Source source = build("leftovers", CONFIG, 71, 3, 500);
        Random random = new Random(71);
        for (boolean clean : new boolean[] {false, true}) {
            Path copy;
            if (clean) {
                close(source.log);
                copy = CrashCopies.copy(source.dir, newCopyDir());
            } else {
                copy = crashCopy(source.log);
            }
            byte[] someSegment = readFile(LogSegment.file(source.dir, source.segmentBases().get(0), LogSegment.LOG_SUFFIX));
            long gone = source.activeBase() + 1_000; // leftovers may name offsets the log no longer (or not yet) has
            List<String> leftovers = List.of(
                String.format("%020d.log.deleted", 0L), String.format("%020d.index.deleted", 0L), String.format("%020d.timeindex.deleted", 0L),
                String.format("%020d.log.deleted", gone), String.format("%020d.log.cleaned", gone),
                String.format("%020d.index.cleaned", gone), String.format("%020d.timeindex.cleaned", gone),
                String.format("%020d.log.tmp", gone), "leader-epoch-checkpoint.tmp", String.format("%020d.index.tmp", 0L));
            for (String name : leftovers) {
                CrashCopies.overwrite(copy.resolve(name), someSegment);
            }
            LogStartState start = clean ? source.cleanStart() : source.uncleanStart();
            PartitionLog reopened = open(copy, CONFIG, start);
            assertThat(CrashCopies.names(copy)).as("clean=" + clean).noneMatch(leftovers::contains)
                .noneMatch(n -> n.endsWith(".deleted") || n.endsWith(".cleaned") || n.endsWith(".tmp"));
            assertThat(reopened.logEndOffset()).isEqualTo(source.endOffset(source.batches.size()));
            assertThat(describe(readStored(reopened))).containsExactlyElementsOf(describe(source.batchBytes(source.batches)));
            checkSomeLookups(reopened, source.batches, random, "leftovers, clean=" + clean);
        }
    }

    /** The steps of {@link PartitionLog#replaceSegments} a crash can interrupt, as the files are after each. */
    enum SwapCrash {
        /** the compacted segment renamed .cleaned to .swap; the old segments still live */
        SWAP_WRITTEN,
        /** and the first old segment renamed to .deleted */
        FIRST_OLD_DELETED,
        /** and the second old segment's log renamed to .deleted, its indexes not yet */
        SECOND_OLD_HALF_DELETED,
        /** and every old segment renamed to .deleted */
        ALL_OLD_DELETED,
        /** and the compacted segment's log renamed to its live name, its indexes not yet */
        SWAP_LOG_RENAMED
    }

    @Test
    void completesASegmentSwapInterruptedAtAnyStep() {
        Source source = build("swap", CONFIG, 81, 4, 500);
        Random random = new Random(81);
        List<Long> bases = source.segmentBases();
        long first = bases.get(0);
        long second = bases.get(1);
        long third = bases.get(2);
        List<MemoryRecords> compacted = compactEvenOffsets(source.batches.stream().filter(b -> b.lastOffset < third).toList());
        List<byte[]> expected = new ArrayList<>();
        compacted.forEach(batch -> expected.add(bytes(batch)));
        expected.addAll(source.batchBytes(source.batches.stream().filter(b -> b.baseOffset >= third).toList()));

        for (SwapCrash step : SwapCrash.values()) {
            Path copy = crashCopy(source.log);
            writeSegment(copy, first, compacted, LogSegment.CLEANED_SUFFIX, LogSegment.SWAP_SUFFIX);
            if (step.compareTo(SwapCrash.FIRST_OLD_DELETED) >= 0) {
                renameSegment(copy, first, "", LogSegment.DELETED_SUFFIX, 3);
            }
            if (step == SwapCrash.SECOND_OLD_HALF_DELETED) {
                renameSegment(copy, second, "", LogSegment.DELETED_SUFFIX, 1);
            }
            if (step.compareTo(SwapCrash.ALL_OLD_DELETED) >= 0) {
                renameSegment(copy, second, "", LogSegment.DELETED_SUFFIX, 3);
            }
            if (step == SwapCrash.SWAP_LOG_RENAMED) {
                renameSegment(copy, first, LogSegment.SWAP_SUFFIX, "", 1);
            }
            for (boolean clean : new boolean[] {false, true}) {
                Path dir = CrashCopies.copy(copy, newCopyDir());
                PartitionLog reopened = open(dir, CONFIG, clean ? source.cleanStart() : source.uncleanStart());
                String context = step + ", clean=" + clean;
                assertThat(describe(readStored(reopened))).as(context).containsExactlyElementsOf(describe(expected));
                assertThat(readStored(reopened)).as(context).zipSatisfy(expected, (a, e) -> assertThat(a).isEqualTo(e));
                assertThat(reopened.logEndOffset()).as(context).isEqualTo(source.endOffset(source.batches.size()));
                assertThat(reopened.inactiveSegments()).extracting(LogSegment::baseOffset).as(context).startsWith(first, third);
                assertThat(CrashCopies.names(dir)).as(context).noneMatch(n -> n.endsWith(".swap") || n.endsWith(".deleted"));
                long appended = reopened.appendAsLeader(TestBatches.batch(0, 1, NOW), 0).firstOffset();
                assertThat(appended).as(context).isEqualTo(source.endOffset(source.batches.size()));
                checkRecordsAt(reopened, expected, random, context);
            }
        }
    }

    @Test
    void replacesSegmentsWithACompactedOneAndKeepsItAcrossRestarts() {
        Source source = build("replace", CONFIG, 82, 4, 500);
        Random random = new Random(82);
        List<Long> bases = source.segmentBases();
        List<LogSegment> old = source.log.inactiveSegments().subList(0, 2);
        long third = bases.get(2);
        List<MemoryRecords> compacted = compactEvenOffsets(source.batches.stream().filter(b -> b.lastOffset < third).toList());
        List<byte[]> expected = new ArrayList<>();
        compacted.forEach(batch -> expected.add(bytes(batch)));
        expected.addAll(source.batchBytes(source.batches.stream().filter(b -> b.baseOffset >= third).toList()));
        LogSegment cleaned = openSegment(source.dir, bases.get(0), LogSegment.CLEANED_SUFFIX);
        appendAll(cleaned, compacted);

        assertThat(source.log.replaceSegments(cleaned, old)).isTrue();
        assertThat(describe(readStored(source.log))).containsExactlyElementsOf(describe(expected));
        assertThat(CrashCopies.names(source.dir)).noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap") || n.endsWith(".deleted"));
        assertThat(source.log.replaceSegments(cleaned, old)).as("old segments no longer in the log").isFalse();

        PartitionLog crashed = open(crashCopy(source.log), CONFIG, source.uncleanStart());
        assertThat(describe(readStored(crashed))).containsExactlyElementsOf(describe(expected));
        checkRecordsAt(crashed, expected, random, "crash after the swap");
        close(source.log);
        PartitionLog reopened = open(source.dir, CONFIG, source.cleanStart());
        assertThat(describe(readStored(reopened))).containsExactlyElementsOf(describe(expected));
        checkRecordsAt(reopened, expected, random, "clean restart after the swap");
    }

    // ---- clean shutdown -------------------------------------------------------------------------

    @Test
    void reopensACleanlyClosedLogAsItWasWithoutScanningIt() throws IOException {
        Source source = build("clean", CONFIG, 91, 3, 1500);
        source.log.updateHighWatermark(source.batches.get(source.batches.size() / 2).baseOffset);
        LogStartState start = source.cleanStart();
        close(source.log);
        Map<String, FileTime> modified = new HashMap<>();
        for (Path file : CrashCopies.files(source.dir)) {
            modified.put(file.getFileName().toString(), Files.getLastModifiedTime(file));
        }
        // a byte flipped while the broker was down: a clean shutdown means nothing is checked, so it stays
        Stored middle = source.batches.stream().filter(b -> b.segmentBase == source.activeBase()).skip(1).findFirst().orElseThrow();
        CrashCopies.flip(source.activeLogFile(), middle.position + middle.size() - 1, 0x01);

        PartitionLog reopened = open(source.dir, CONFIG, start);
        assertThat(reopened.logStartOffset()).isEqualTo(start.logStartOffset());
        assertThat(reopened.logEndOffset()).isEqualTo(source.endOffset(source.batches.size()));
        assertThat(reopened.highWatermark()).isEqualTo(start.highWatermark());
        assertThat(reopened.recoveryPoint()).isEqualTo(reopened.logEndOffset());
        assertThat(reopened.numberOfSegments()).isEqualTo(source.segmentBases().size());
        List<byte[]> read = readStored(reopened);
        assertThat(read).hasSize(source.batches.size());
        assertThat(RecordBatch.wrap(ByteBuffer.wrap(read.get(source.batches.indexOf(middle)))).isValid()).as("not scanned").isFalse();
        for (long base : source.segmentBases()) {
            if (base != source.activeBase()) {
                for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX)) {
                    Path index = LogSegment.file(source.dir, base, suffix);
                    assertThat(Files.getLastModifiedTime(index)).as(index + " not rebuilt").isEqualTo(modified.get(index.getFileName().toString()));
                }
            }
        }
        List<Stored> unchanged = new ArrayList<>(source.batches);
        unchanged.remove(middle);
        checkEveryLookup(reopened, unchanged, "clean reopen");
        long next = reopened.appendAsLeader(TestBatches.batch(0, 2, NOW), 0).firstOffset();
        assertThat(next).isEqualTo(source.endOffset(source.batches.size()));
    }

    // ---- the model of what was written ----------------------------------------------------------

    /** A batch as the log stored it, and where. */
    record Stored(long baseOffset, long lastOffset, long segmentBase, int position, byte[] bytes, long firstTimestamp) {
        int size() {
            return bytes.length;
        }

        int end() {
            return position + bytes.length;
        }

        String describe() {
            return LogCrashRecoveryTest.describe(bytes);
        }
    }

    /** A live log of random batches, never closed unless a test does it, and what it holds. */
    private final class Source {
        final Path dir;
        final Map<String, String> config;
        final PartitionLog log;
        final List<Stored> batches = new ArrayList<>();

        Source(Path dir, Map<String, String> config) {
            this.dir = dir;
            this.config = config;
            this.log = open(dir, config, LogStartState.NEW);
        }

        long activeBase() {
            return log.activeSegmentBaseOffset();
        }

        Path activeLogFile() {
            return LogSegment.file(dir, activeBase(), LogSegment.LOG_SUFFIX);
        }

        List<Long> segmentBases() {
            return batches.stream().map(Stored::segmentBase).distinct().toList();
        }

        /** Batches that survive if the segment at {@code segmentBase} keeps only its first {@code bytes}. */
        int intactIn(long segmentBase, int bytes) {
            int intact = 0;
            for (Stored batch : batches) {
                if (batch.segmentBase < segmentBase || batch.segmentBase == segmentBase && batch.end() <= bytes) {
                    intact++;
                } else {
                    break;
                }
            }
            return intact;
        }

        boolean isBoundary(long segmentBase, int position) {
            return batches.stream().anyMatch(b -> b.segmentBase == segmentBase && (b.position == position || b.end() == position));
        }

        long endOffset(int intact) {
            return intact == 0 ? 0 : batches.get(intact - 1).lastOffset + 1;
        }

        LogStartState uncleanStart() {
            return new LogStartState(false, log.recoveryPoint(), log.logStartOffset(), log.highWatermark());
        }

        LogStartState cleanStart() {
            return new LogStartState(true, log.logEndOffset(), log.logStartOffset(), log.highWatermark());
        }

        List<byte[]> batchBytes(List<Stored> some) {
            return some.stream().map(Stored::bytes).toList();
        }
    }

    private Source build(String name, Map<String, String> config, long seed, int minSegments, int minActiveBytes) {
        Source source = new Source(root.resolve(name).resolve(PARTITION_DIR), config);
        Random random = new Random(seed);
        for (int i = 0; i < 1000; i++) {
            int activeSize = (int) (source.log.size() - source.log.inactiveSegments().stream().mapToLong(LogSegment::size).sum());
            if (source.log.numberOfSegments() >= minSegments && activeSize >= minActiveBytes) {
                break;
            }
            long firstTimestamp = NOW + 100L * i;
            LogAppendInfo info = source.log.appendAsLeader(randomBatch(random, i, firstTimestamp), 0);
            FetchDataInfo stored = source.log.read(info.firstOffset(), 1, FetchIsolation.LOG_END, true);
            LogOffsetMetadata at = stored.fetchOffsetMetadata();
            source.batches.add(new Stored(info.firstOffset(), info.lastOffset(), at.segmentBaseOffset(), at.position(),
                bytes(stored.records()), firstTimestamp));
        }
        source.log.updateHighWatermark(source.log.logEndOffset());
        assertThat(source.log.numberOfSegments()).isGreaterThanOrEqualTo(minSegments);
        return source;
    }

    private static MemoryRecords randomBatch(Random random, int index, long firstTimestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        if (random.nextInt(4) == 0) {
            builder.compression(CODECS[random.nextInt(CODECS.length)]);
        }
        int count = 1 + random.nextInt(6);
        boolean compressible = random.nextBoolean();
        for (int j = 0; j < count; j++) {
            byte[] value = new byte[random.nextInt(random.nextInt(4) == 0 ? 500 : 120)];
            if (compressible) {
                Arrays.fill(value, (byte) ('a' + j));
            } else {
                random.nextBytes(value);
            }
            byte[] key = random.nextInt(5) == 0 ? null : ("key-" + index + "-" + j).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            builder.append(firstTimestamp + j, key, value);
        }
        return builder.build();
    }

    // ---- recovery and its checks ----------------------------------------------------------------

    private Path newCopyDir() {
        return copiesRoot.resolve("copy-" + copies++).resolve(PARTITION_DIR);
    }

    private Path crashCopy(PartitionLog live) {
        return CrashCopies.copy(live.dir(), newCopyDir());
    }

    private PartitionLog open(Path dir, Map<String, String> config, LogStartState start) {
        PartitionLog log = PartitionLog.open(dir, LogConfig.of(config), start, time, PartitionLog::deleteNow);
        opened.add(log);
        return log;
    }

    /**
     * Opens the damaged copy and checks IntactPrefix, LogEnd, Lookups and Continues; with
     * {@code reopenTwice}, also opens it again (from a crash copy, and after a clean close).
     */
    private void recoverAndCheck(Path copy, Source source, LogStartState start, int intact, Random random, boolean reopenTwice,
                                 String context) {
        recoverAndCheck(copy, source, start, intact, random, reopenTwice, context, recovered -> { });
    }

    /** As above, with {@code moreChecks} on the recovered log before anything is appended to it. */
    private void recoverAndCheck(Path copy, Source source, LogStartState start, int intact, Random random, boolean reopenTwice,
                                 String context, Consumer<PartitionLog> moreChecks) {
        PartitionLog recovered = open(copy, source.config, start);
        List<Stored> survivors = source.batches.subList(0, intact);
        long end = source.endOffset(intact);
        assertThat(recovered.logEndOffset()).as(context + ": log end").isEqualTo(end);
        assertThat(recovered.logStartOffset()).as(context + ": log start").isEqualTo(start.logStartOffset());
        List<byte[]> read = readStored(recovered);
        assertThat(describe(read)).as(context).containsExactlyElementsOf(describe(source.batchBytes(survivors)));
        assertThat(read).as(context).zipSatisfy(source.batchBytes(survivors), (a, e) -> assertThat(a).isEqualTo(e));
        checkSomeLookups(recovered, survivors, random, context);
        if (intact < source.batches.size()) {
            long lostTimestamp = source.batches.get(intact).firstTimestamp;
            assertThat(recovered.offsetForTimestamp(lostTimestamp)).as(context + ": a lost record's timestamp").isEmpty();
        }
        moreChecks.accept(recovered);

        MemoryRecords next = TestBatches.batch(7, 2, NOW + 500_000);
        assertThat(recovered.appendAsLeader(next, 0).firstOffset()).as(context + ": appends continue").isEqualTo(end);
        assertThat(TestBatches.contents(recovered.read(end, 1, FetchIsolation.LOG_END, true).records()))
            .containsExactly(end + ":key-7=value-7", (end + 1) + ":key-8=value-8");
        List<byte[]> afterAppend = readStored(recovered);
        if (reopenTwice) {
            PartitionLog again = open(crashCopy(recovered), source.config,
                new LogStartState(false, recovered.recoveryPoint(), recovered.logStartOffset(), recovered.highWatermark()));
            assertThat(describe(readStored(again))).as(context + ": second unclean open").containsExactlyElementsOf(describe(afterAppend));
            assertThat(again.logEndOffset()).isEqualTo(end + 2);
            close(again);
            close(recovered);
            PartitionLog clean = open(copy, source.config, new LogStartState(true, end + 2, start.logStartOffset(), end + 2));
            assertThat(describe(readStored(clean))).as(context + ": clean open after recovery").containsExactlyElementsOf(describe(afterAppend));
            close(clean);
        } else {
            close(recovered);
        }
        TestBatches.delete(copy.getParent());
    }

    private void close(PartitionLog log) {
        log.close();
        opened.remove(log);
    }

    /** For damage recovery cannot see: the records all read back (the batch headers may differ). */
    private void recoverAndCheckRecords(Path copy, Source source, LogStartState start, String context) {
        PartitionLog recovered = open(copy, source.config, start);
        assertThat(recovered.logEndOffset()).as(context).isEqualTo(source.endOffset(source.batches.size()));
        List<String> expected = new ArrayList<>();
        source.batches.forEach(b -> expected.addAll(TestBatches.contents(MemoryRecords.readableView(ByteBuffer.wrap(b.bytes)))));
        assertThat(TestBatches.readAll(recovered, 0)).as(context).containsExactlyElementsOf(expected);
        close(recovered);
        TestBatches.delete(copy.getParent());
    }

    private static void checkSomeLookups(PartitionLog log, List<Stored> batches, Random random, String context) {
        if (batches.isEmpty()) {
            return;
        }
        for (int n = 0; n < 3; n++) {
            checkLookups(log, batches.get(random.nextInt(batches.size())), random, context);
        }
        checkLookups(log, batches.get(batches.size() - 1), random, context);
    }

    private static void checkEveryLookup(PartitionLog log, List<Stored> batches, String context) {
        Random random = new Random(batches.size());
        for (Stored batch : batches) {
            checkLookups(log, batch, random, context);
        }
    }

    /** A read from an offset inside the batch starts at the batch; its records' timestamps find them. */
    private static void checkLookups(PartitionLog log, Stored batch, Random random, String context) {
        long records = batch.lastOffset - batch.baseOffset + 1;
        long offset = batch.baseOffset + random.nextInt((int) records);
        byte[] first = bytes(log.read(offset, 1, FetchIsolation.LOG_END, true).records());
        assertThat(describe(first)).as(context + ": read from " + offset).isEqualTo(batch.describe());
        int j = random.nextInt((int) records);
        assertThat(log.offsetForTimestamp(batch.firstTimestamp + j)).as(context + ": timestamp of offset " + (batch.baseOffset + j))
            .contains(new TimestampLookup(batch.firstTimestamp + j, batch.baseOffset + j));
    }

    /** Reads of a random offset in each expected batch return it. */
    private static void checkRecordsAt(PartitionLog log, List<byte[]> expected, Random random, String context) {
        for (byte[] batch : expected) {
            RecordBatch view = RecordBatch.wrap(ByteBuffer.wrap(batch));
            long offset = view.baseOffset() + random.nextInt(view.lastOffsetDelta() + 1);
            assertThat(describe(bytes(log.read(offset, 1, FetchIsolation.LOG_END, true).records()))).as(context + ": read from " + offset)
                .isEqualTo(describe(batch));
        }
    }

    /** Every batch from the log start to the log end, one read each. */
    static List<byte[]> readStored(PartitionLog log) {
        List<byte[]> result = new ArrayList<>();
        long next = log.logStartOffset();
        while (next < log.logEndOffset()) {
            byte[] batch = bytes(log.read(next, 1, FetchIsolation.LOG_END, true).records());
            if (batch.length == 0) {
                throw new AssertionError("Read at " + next + " returned nothing before the log end " + log.logEndOffset());
            }
            RecordBatch view = RecordBatch.wrap(ByteBuffer.wrap(batch));
            assertThat(view.sizeInBytes()).as("one whole batch").isEqualTo(batch.length);
            result.add(batch);
            next = view.lastOffset() + 1;
        }
        return result;
    }

    static byte[] bytes(Records records) {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        records.copyTo(buffer);
        return buffer.array();
    }

    static String describe(byte[] batch) {
        RecordBatch view = RecordBatch.wrap(ByteBuffer.wrap(batch));
        return view.baseOffset() + "-" + view.lastOffset() + " (" + batch.length + " bytes, crc " + Long.toHexString(view.checksum())
            + (view.isValid() ? "" : ", INVALID") + ")";
    }

    static List<String> describe(List<byte[]> batches) {
        return batches.stream().map(LogCrashRecoveryTest::describe).toList();
    }

    private static byte[] readFile(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- compaction stand-in --------------------------------------------------------------------

    /** What a cleaner might leave of {@code batches}: the records at even offsets, one batch per batch that keeps any. */
    private static List<MemoryRecords> compactEvenOffsets(List<Stored> batches) {
        List<MemoryRecords> result = new ArrayList<>();
        for (Stored stored : batches) {
            List<Record> kept = RecordBatch.wrap(ByteBuffer.wrap(stored.bytes)).records().stream().filter(r -> r.offset() % 2 == 0).toList();
            if (kept.isEmpty()) {
                continue;
            }
            RecordBatchBuilder builder = new RecordBatchBuilder(kept.get(0).offset());
            for (Record record : kept) {
                builder.appendWithOffset(record.offset(), record.timestamp(), record.keyBytes(), record.valueBytes(), record.headers());
            }
            result.add(builder.build());
        }
        return result;
    }

    private static LogSegment openSegment(Path dir, long base, String suffix) {
        try {
            return LogSegment.open(dir, base, 8192, 256, 0, NOW, suffix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendAll(LogSegment segment, List<MemoryRecords> batches) {
        try {
            for (MemoryRecords batch : batches) {
                RecordBatch view = batch.batches().iterator().next();
                segment.append(view.lastOffset(), batch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a finished compacted segment as the cleaner does, then renames it from {@code written} to {@code suffix}. */
    private static void writeSegment(Path dir, long base, List<MemoryRecords> batches, String written, String suffix) {
        LogSegment segment = openSegment(dir, base, written);
        appendAll(segment, batches);
        try {
            segment.flush();
            segment.onBecomeInactive();
            segment.changeFileSuffixes(written, suffix);
            segment.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Renames the first {@code files} of the segment's files (log, index, time index, in that order) as replaceSegments does. */
    private static void renameSegment(Path dir, long base, String from, String to, int files) {
        List<String> kinds = List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX);
        try {
            for (String kind : kinds.subList(0, files)) {
                Files.move(LogSegment.file(dir, base, kind + from), LogSegment.file(dir, base, kind + to));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
