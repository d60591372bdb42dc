package dev.borges.storage.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.MockTime;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.index.AbortedTxn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery of a log with transactions. A log is built from three transactional producers and
 * plain writes (transactions spanning segments, markers committing and aborting them, one left
 * open), then crash copies of it are cut at every byte of the active segment (on tmpfs; a sample
 * elsewhere), some also losing the active segment's transaction index, and opened as after an
 * unclean shutdown. After each recovery, against a model replaying the surviving batches:
 * <ul>
 *   <li>AbortedIndex: the aborted transactions indexed are exactly those whose ABORT marker
 *       survived, with the model's first offset and last stable offset;</li>
 *   <li>StableOffset: the last stable offset is the first offset of the earliest transaction left
 *       open by the surviving batches (its marker cut off, or never written), else the log end;</li>
 *   <li>Continues: a marker for every open transaction closes it, and the log is stable again.</li>
 * </ul>
 */
class TransactionCrashRecoveryTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final Map<String, String> CONFIG = Map.of(
        LogConfig.SEGMENT_BYTES, "2048",
        LogConfig.SEGMENT_INDEX_BYTES, "4096",
        LogConfig.INDEX_INTERVAL_BYTES, "128");
    private static final long[] PRODUCERS = {7L, 8L, 9L};

    @TempDir
    Path root;

    private final MockTime time = new MockTime(NOW);
    private Path copiesRoot;
    private int copies;

    /** One batch as written: what it is, and where it lies. */
    record Written(long baseOffset, long lastOffset, long producerId, Kind kind, long segmentBase, int position, int size) {
        int end() {
            return position + size;
        }
    }

    enum Kind { PLAIN, DATA, COMMIT, ABORT }

    @BeforeEach
    void chooseCopiesRoot() throws IOException {
        copiesRoot = CrashCopies.scratchDirectory(root);
    }

    @AfterEach
    void deleteCopies() {
        if (!copiesRoot.startsWith(root)) {
            TestBatches.delete(copiesRoot);
        }
    }

    @Test
    void recoversTheTransactionsOfALogCutAtEveryByteOfItsActiveSegment() throws IOException {
        PartitionLog source = PartitionLog.open(root.resolve("source").resolve("orders-0"), LogConfig.of(CONFIG), LogStartState.NEW, time,
            PartitionLog::deleteNow);
        List<Written> written = build(source, new Random(17));
        long activeBase = source.activeSegmentBaseOffset();
        Path activeLog = LogSegment.file(source.dir(), activeBase, LogSegment.LOG_SUFFIX);
        int activeSize = (int) CrashCopies.size(activeLog);
        assertThat(source.numberOfSegments()).isGreaterThanOrEqualTo(3);
        assertThat(written.stream().filter(w -> w.segmentBase() == activeBase && w.kind() == Kind.ABORT)).as("aborts to cut").hasSizeGreaterThan(1);
        assertThat(model(written).firstOpen()).as("a transaction left open").isPresent();

        SortedSet<Integer> cuts = new TreeSet<>();
        for (Written w : written) {
            if (w.segmentBase() == activeBase) {
                cuts.add(w.position());
                cuts.add(w.end() - 1);
                cuts.add(w.position() + 1);
            }
        }
        Random random = new Random(17);
        int wanted = copiesRoot.startsWith("/dev/shm") ? activeSize + 1 : 400;
        while (cuts.size() < Math.min(wanted, activeSize + 1)) {
            cuts.add(random.nextInt(activeSize + 1));
        }
        for (int cut : cuts) {
            Path copy = CrashCopies.copy(source.dir(), copiesRoot.resolve("copy-" + copies++).resolve("orders-0"));
            CrashCopies.cut(copy.resolve(activeLog.getFileName()), cut);
            boolean indexLost = cut % 3 == 0;
            if (indexLost) {
                Files.deleteIfExists(LogSegment.file(copy, activeBase, LogSegment.TXN_INDEX_SUFFIX));
            }
            List<Written> survivors = written.stream().filter(w -> w.segmentBase() < activeBase || w.end() <= cut).toList();
            check(copy, source.recoveryPoint(), survivors, "cut at byte " + cut + (indexLost ? ", index lost" : ""));
            TestBatches.delete(copy.getParent());
        }
        source.close();
    }

    @Test
    void rebuildsEveryTransactionIndexWhenRecoveringFromTheStart() {
        PartitionLog source = PartitionLog.open(root.resolve("source").resolve("orders-0"), LogConfig.of(CONFIG), LogStartState.NEW, time,
            PartitionLog::deleteNow);
        List<Written> written = build(source, new Random(23));
        Path copy = CrashCopies.copy(source.dir(), copiesRoot.resolve("copy-" + copies++).resolve("orders-0"));
        try (var files = Files.list(copy)) {
            files.filter(f -> f.toString().endsWith(LogSegment.TXN_INDEX_SUFFIX)).forEach(f -> CrashCopies.overwrite(f, new byte[0]));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }

        check(copy, 0, written, "every index emptied, recovery from offset 0");
        source.close();
    }

    /** Opens the copy as after a crash and checks AbortedIndex, StableOffset and Continues. */
    private void check(Path copy, long recoveryPoint, List<Written> survivors, String context) {
        long end = survivors.isEmpty() ? 0 : survivors.get(survivors.size() - 1).lastOffset() + 1;
        PartitionLog recovered = PartitionLog.open(copy, LogConfig.of(CONFIG), new LogStartState(false, recoveryPoint, 0, Long.MAX_VALUE),
            time, PartitionLog::deleteNow);
        try {
            Model model = model(survivors);
            assertThat(recovered.logEndOffset()).as(context + ": log end").isEqualTo(end);
            assertThat(recovered.collectAbortedTransactions(0, end)).as(context + ": aborted transactions").isEqualTo(model.aborted());
            assertThat(recovered.lastStableOffset()).as(context + ": last stable offset").isEqualTo(model.firstOpen().orElse(end));

            for (long producerId : model.open().keySet()) {
                recovered.appendTxnMarker(producerId, (short) 0, 0, ControlRecordType.ABORT, 0);
            }
            recovered.updateHighWatermark(recovered.logEndOffset());
            assertThat(recovered.lastStableOffset()).as(context + ": after markers for the open transactions")
                .isEqualTo(recovered.logEndOffset());
        } finally {
            recovered.close();
        }
    }

    /** What replaying {@code batches} gives: open transactions (producer to first offset) and aborted ones. */
    record Model(Map<Long, Long> open, List<AbortedTxn> aborted) {
        OptionalLong firstOpen() {
            return open.values().stream().mapToLong(Long::longValue).min();
        }
    }

    static Model model(List<Written> batches) {
        Map<Long, Long> open = new LinkedHashMap<>();
        List<AbortedTxn> aborted = new ArrayList<>();
        for (Written w : batches) {
            switch (w.kind()) {
                case DATA -> open.putIfAbsent(w.producerId(), w.baseOffset());
                case COMMIT, ABORT -> {
                    Long first = open.remove(w.producerId());
                    if (first != null && w.kind() == Kind.ABORT) {
                        long lastStable = open.values().stream().mapToLong(Long::longValue).min().orElse(w.lastOffset() + 1);
                        aborted.add(new AbortedTxn(w.producerId(), first, w.lastOffset(), lastStable));
                    }
                }
                default -> { }
            }
        }
        return new Model(open, aborted);
    }

    /** Writes random plain batches, transactional batches and markers until the log has a few segments and a full active one. */
    private List<Written> build(PartitionLog log, Random random) {
        List<Written> written = new ArrayList<>();
        Map<Long, Integer> sequences = new HashMap<>();
        Map<Long, Boolean> open = new HashMap<>();
        for (int i = 0; i < 2000 && (log.numberOfSegments() < 4 || activeSize(log) < 1500); i++) {
            long producerId = PRODUCERS[random.nextInt(PRODUCERS.length)];
            int choice = random.nextInt(10);
            LogAppendInfo info;
            Kind kind;
            if (choice < 3) {
                RecordBatchBuilder builder = new RecordBatchBuilder(0L);
                for (int r = 0; r <= random.nextInt(3); r++) {
                    builder.append(NOW + i, ("plain-" + i).getBytes(), new byte[random.nextInt(60)]);
                }
                info = log.appendAsLeader(builder.build(), 0);
                kind = Kind.PLAIN;
            } else if (choice < 7) {
                int sequence = sequences.getOrDefault(producerId, 0);
                int count = 1 + random.nextInt(3);
                RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(producerId, (short) 0, sequence).transactional(true);
                for (int r = 0; r < count; r++) {
                    builder.append(NOW + i, ("txn-" + i).getBytes(), new byte[random.nextInt(60)]);
                }
                info = log.appendAsLeader(builder.build(), 0);
                sequences.put(producerId, sequence + count);
                open.put(producerId, true);
                kind = Kind.DATA;
            } else {
                kind = random.nextInt(5) < 3 ? Kind.ABORT : Kind.COMMIT;
                info = log.appendTxnMarker(producerId, (short) 0, 0, kind == Kind.ABORT ? ControlRecordType.ABORT : ControlRecordType.COMMIT, 0);
                open.put(producerId, false);
            }
            LogOffsetMetadata at = log.read(info.firstOffset(), 1, FetchIsolation.LOG_END, true).fetchOffsetMetadata();
            int size = log.read(info.firstOffset(), 1, FetchIsolation.LOG_END, true).records().sizeInBytes();
            written.add(new Written(info.firstOffset(), info.lastOffset(), kind == Kind.PLAIN ? -1 : producerId, kind,
                at.segmentBaseOffset(), at.position(), size));
        }
        if (!open.containsValue(true)) {
            long producerId = PRODUCERS[0];
            LogAppendInfo info = log.appendAsLeader(new RecordBatchBuilder(0L).producer(producerId, (short) 0,
                sequences.getOrDefault(producerId, 0)).transactional(true).append(NOW, null, new byte[4]).build(), 0);
            LogOffsetMetadata at = log.read(info.firstOffset(), 1, FetchIsolation.LOG_END, true).fetchOffsetMetadata();
            written.add(new Written(info.firstOffset(), info.lastOffset(), producerId, Kind.DATA, at.segmentBaseOffset(), at.position(),
                log.read(info.firstOffset(), 1, FetchIsolation.LOG_END, true).records().sizeInBytes()));
        }
        log.updateHighWatermark(log.logEndOffset());
        assertThat(log.collectAbortedTransactions(0, log.logEndOffset())).as("the log agrees with the model").isEqualTo(model(written).aborted());
        return written;
    }

    private static long activeSize(PartitionLog log) {
        return log.size() - log.inactiveSegments().stream().mapToLong(LogSegment::size).sum();
    }
}
