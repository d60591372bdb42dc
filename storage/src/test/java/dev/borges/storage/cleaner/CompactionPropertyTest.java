package dev.borges.storage.cleaner;

import static dev.borges.storage.cleaner.CleanerTestContext.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.LogStartState;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random appends of keyed records and tombstones (random compression, stamped with a clock that
 * moves randomly), random rolls, commits, cleaning passes and restarts (clean, or from a copy of
 * the files as after a crash), under random topic settings, checked against a model of every
 * append. After every step:
 * <ul>
 *   <li>Intact — every record read back is one that was appended at that offset, and offsets ascend;</li>
 *   <li>LatestValueReadable — the latest record of each key whose latest is a value is in the log,
 *       at its offset, and nothing of that key comes after it;</li>
 *   <li>NoResurrection — for a key whose latest record is a tombstone, the last record of the key in
 *       the log is that tombstone or there is none (never an older value);</li>
 *   <li>TombstoneRetained — a tombstone younger than {@code delete.retention.ms} is still there.</li>
 * </ul>
 * At the end, with the whole log made cleanable and time moved on, passes run until none is due:
 * then every key appears once at most and no tombstone is left (EventuallyCompact). A failure
 * prints jqwik's seed; {@code @Property(seed = "...")} replays it.
 */
class CompactionPropertyTest {
    private static final int KEYS = 12;

    sealed interface Step permits Append, Roll, Advance, Commit, Clean, Restart {
    }

    /** Records as (key, tombstone) pairs, in one batch. */
    record Append(List<Integer> keys, List<Boolean> tombstones, CompressionType compression) implements Step {
    }

    record Roll() implements Step {
    }

    record Advance(long ms) implements Step {
    }

    record Commit() implements Step {
    }

    record Clean(boolean dirtiest) implements Step {
    }

    record Restart(boolean crash) implements Step {
    }

    record Settings(int segmentBytes, long deleteRetentionMs, long minLagMs, double ratio, long maxLagMs, int mapSlots) {
        Map<String, String> topicConfig() {
            return Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.DELETE_RETENTION_MS, Long.toString(deleteRetentionMs),
                LogConfig.MIN_COMPACTION_LAG_MS, Long.toString(minLagMs),
                LogConfig.MIN_CLEANABLE_DIRTY_RATIO, Double.toString(ratio),
                LogConfig.MAX_COMPACTION_LAG_MS, Long.toString(maxLagMs));
        }
    }

    /** One appended record. */
    record Appended(String key, String value, long appendTimeMs) {
    }

    @Property(tries = 150)
    void theLatestValueOfEveryKeyStaysReadableThroughPassesAndRestarts(@ForAll("settings") Settings settings,
                                                                       @ForAll("steps") List<Step> steps) throws IOException {
        Path base = Files.createTempDirectory("compaction-property");
        try {
            new Run(base, settings).play(steps);
        } finally {
            deleteRecursively(base);
        }
    }

    /** The log, the cleaner and the model of one try. */
    private static final class Run {
        private final Path base;
        private final Settings settings;
        private final CleanerTestContext ctx;
        private final LogCleaner cleaner;
        private final Map<Long, Appended> appended = new HashMap<>();
        private final Map<String, Long> latestOffset = new HashMap<>();
        private PartitionLog log;
        private int restarts;
        private int counter;

        Run(Path base, Settings settings) {
            this.base = base;
            this.settings = settings;
            this.ctx = new CleanerTestContext(base.resolve("dir-0"), settings.topicConfig());
            this.cleaner = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize((long) OffsetMap.BYTES_PER_ENTRY * settings.mapSlots()));
            this.log = ctx.open(base.resolve("dir-0").resolve(CleanerTestContext.PARTITION_DIR), LogStartState.NEW);
        }

        void play(List<Step> steps) {
            for (Step step : steps) {
                apply(step);
                checkInvariants(step);
            }
            finish();
        }

        private void apply(Step step) {
            if (step instanceof Append append) {
                append(append);
            } else if (step instanceof Roll) {
                log.roll();
            } else if (step instanceof Advance advance) {
                ctx.time.sleep(advance.ms());
            } else if (step instanceof Commit) {
                log.updateHighWatermark(log.logEndOffset());
            } else if (step instanceof Clean clean) {
                clean(clean.dirtiest());
            } else if (step instanceof Restart restart) {
                restart(restart.crash());
            }
        }

        private void append(Append append) {
            long now = ctx.time.milliseconds();
            RecordBatchBuilder builder = new RecordBatchBuilder(0).compression(append.compression());
            List<Appended> records = new ArrayList<>();
            for (int i = 0; i < append.keys().size(); i++) {
                String key = "k" + append.keys().get(i);
                String value = append.tombstones().get(i) ? null : "v" + counter++;
                builder.append(now, CleanerTestContext.bytes(key), CleanerTestContext.bytes(value));
                records.add(new Appended(key, value, now));
            }
            long offset = log.appendAsLeader(builder.build(), 0).firstOffset();
            for (Appended record : records) {
                appended.put(offset, record);
                latestOffset.put(record.key(), offset);
                offset++;
            }
        }

        private void clean(boolean dirtiest) {
            if (dirtiest) {
                cleaner.cleanDirtiest(List.of(log), ctx.time.milliseconds());
            } else {
                cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
            }
        }

        private void restart(boolean crash) {
            Path newRoot = base.resolve("dir-" + ++restarts);
            Path checkpoint = log.dir().getParent().resolve(CleanerCheckpoints.FILE_NAME);
            LogStartState start;
            if (crash) {
                start = new LogStartState(false, log.recoveryPoint(), log.logStartOffset(), log.highWatermark());
                CleanerTestContext.copyDirectory(log.dir(), newRoot);
                log.close();
            } else {
                log.close();
                start = new LogStartState(true, log.logEndOffset(), log.logStartOffset(), log.highWatermark());
                CleanerTestContext.copyDirectory(log.dir(), newRoot);
            }
            copyIfExists(checkpoint, newRoot.resolve(CleanerCheckpoints.FILE_NAME));
            log = ctx.open(newRoot.resolve(CleanerTestContext.PARTITION_DIR), start);
        }

        private void checkInvariants(Step step) {
            List<CleanerTestContext.Entry> entries = readAll(log);
            long previous = -1;
            Map<String, CleanerTestContext.Entry> lastOfKey = new HashMap<>();
            for (CleanerTestContext.Entry entry : entries) {
                assertThat(entry.offset()).as("Intact: offsets ascend after %s", step).isGreaterThan(previous);
                Appended original = appended.get(entry.offset());
                assertThat(original).as("Intact: %s was appended", entry).isNotNull();
                assertThat(entry.key()).as("Intact: key of %s", entry).isEqualTo(original.key());
                assertThat(entry.value()).as("Intact: value of %s", entry).isEqualTo(original.value());
                previous = entry.offset();
                lastOfKey.put(entry.key(), entry);
            }
            long now = ctx.time.milliseconds();
            for (Map.Entry<String, Long> latest : latestOffset.entrySet()) {
                Appended record = appended.get(latest.getValue());
                CleanerTestContext.Entry last = lastOfKey.get(latest.getKey());
                if (record.value() != null) {
                    assertThat(last).as("LatestValueReadable: %s after %s", latest, step).isNotNull();
                    assertThat(last.offset()).as("LatestValueReadable: %s after %s", latest, step).isEqualTo(latest.getValue());
                } else if (last != null) {
                    assertThat(last.offset()).as("NoResurrection: %s after %s", latest, step).isEqualTo(latest.getValue());
                } else {
                    assertThat(now).as("TombstoneRetained: %s appended at %d", latest, record.appendTimeMs())
                        .isGreaterThanOrEqualTo(record.appendTimeMs() + settings.deleteRetentionMs());
                }
            }
        }

        /** Makes everything cleanable and forces passes (max.compaction.lag.ms) until none is due. */
        private void finish() {
            log.roll();
            log.updateHighWatermark(log.logEndOffset());
            log.updateConfig(log.config().with(Map.of(LogConfig.MAX_COMPACTION_LAG_MS, "1", LogConfig.MIN_COMPACTION_LAG_MS, "0")));
            int passes = 0;
            boolean idle = false;
            while (!idle) {
                ctx.time.sleep(Math.max(settings.deleteRetentionMs(), 1) + 1);
                idle = cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome() == CleanResult.Outcome.NOT_NEEDED;
                checkInvariants(new Clean(false));
                assertThat(++passes).as("passes until compact").isLessThan(500);
            }
            List<CleanerTestContext.Entry> entries = readAll(log);
            assertThat(entries).as("EventuallyCompact: no tombstone left").allSatisfy(e -> assertThat(e.value()).isNotNull());
            assertThat(entries).as("EventuallyCompact: one record per key").extracting(CleanerTestContext.Entry::key).doesNotHaveDuplicates();
            long liveKeys = latestOffset.values().stream().filter(offset -> appended.get(offset).value() != null).count();
            assertThat(entries).hasSize((int) liveKeys);
            log.close();
        }
    }

    @Provide
    Arbitrary<Settings> settings() {
        return Combinators.combine(
            Arbitraries.integers().between(200, 3_000),
            Arbitraries.longs().between(0, 5_000),
            Arbitraries.of(0L, 1_000L),
            Arbitraries.of(0.01, 0.3, 0.7),
            Arbitraries.of(Long.MAX_VALUE, 3_000L),
            Arbitraries.of(12, 64, 4_096)).as(Settings::new);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> append = Arbitraries.integers().between(1, 5).flatMap(size -> Combinators.combine(
            Arbitraries.integers().between(0, KEYS - 1).list().ofSize(size),
            Arbitraries.of(true, false, false, false, false).list().ofSize(size),
            Arbitraries.of(CompressionType.class)).as(Append::new));
        return Arbitraries.frequencyOf(
            Tuple.of(12, append),
            Tuple.of(2, Arbitraries.just(new Roll())),
            Tuple.of(3, Arbitraries.longs().between(0, 3_000).map(Advance::new)),
            Tuple.of(3, Arbitraries.just(new Commit())),
            Tuple.of(4, Arbitraries.of(true, false).map(Clean::new)),
            Tuple.of(1, Arbitraries.of(true, false).map(Restart::new)))
            .list().ofMinSize(5).ofMaxSize(80);
    }

    private static void copyIfExists(Path from, Path to) {
        try {
            if (Files.exists(from)) {
                Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
