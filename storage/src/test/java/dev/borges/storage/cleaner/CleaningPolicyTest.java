package dev.borges.storage.cleaner;

import static dev.borges.storage.cleaner.CleanerTestContext.NOW;
import static dev.borges.storage.cleaner.CleanerTestContext.batches;
import static dev.borges.storage.cleaner.CleanerTestContext.compacted;
import static dev.borges.storage.cleaner.CleanerTestContext.fileNames;
import static dev.borges.storage.cleaner.CleanerTestContext.readAll;
import static dev.borges.storage.cleaner.CleanerTestContext.rollAndCommit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.PartitionLog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topic settings that decide when a log is cleaned and how long tombstones live. */
class CleaningPolicyTest {
    @TempDir
    Path root;

    private final LogCleaner cleaner = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 20));

    private CleanerTestContext context(Map<String, String> overrides) {
        return new CleanerTestContext(root, overrides);
    }

    @Test
    void tombstonesAreKeptForDeleteRetentionMsAfterTheirFirstPassThenRemoved() {
        CleanerTestContext ctx = context(Map.of(LogConfig.DELETE_RETENTION_MS, "1000"));
        PartitionLog log = ctx.open();
        ctx.append(log, "k1", "a", "k2", "b");
        ctx.append(log, "k1", null);
        rollAndCommit(log);

        CleanResult first = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(readAll(log)).extracting(Object::toString).containsExactly("1:k2=b", "2:k1=null");
        RecordBatch tombstoneBatch = batches(log).get(1);
        assertThat(tombstoneBatch.deleteHorizonMs()).hasValue(NOW + 1000);
        assertThat(first.earliestDeleteHorizonMs()).isEqualTo(NOW + 1000);

        ctx.time.sleep(999);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);
        assertThat(readAll(log)).extracting(Object::toString).containsExactly("1:k2=b", "2:k1=null");

        ctx.time.sleep(1);
        CleanResult expiry = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(expiry.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(expiry.tombstonesRemoved()).isEqualTo(1);
        assertThat(expiry.earliestDeleteHorizonMs()).isEqualTo(RecordBatch.NO_TIMESTAMP);
        assertThat(readAll(log)).extracting(Object::toString).containsExactly("1:k2=b");
    }


    @Test
    void laterPassesDoNotExtendATombstonesDeleteHorizon() {
        CleanerTestContext ctx = context(Map.of(LogConfig.DELETE_RETENTION_MS, "1000"));
        PartitionLog log = ctx.open();
        ctx.append(log, "k1", "a");
        ctx.append(log, "k1", null);
        rollAndCommit(log);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        ctx.time.sleep(600);
        for (int i = 0; i < 40; i++) {
            ctx.append(log, "x" + (i % 5), "v" + i);
        }
        rollAndCommit(log);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(readAll(log).get(0)).hasToString("1:k1=null");
        assertThat(batches(log).get(0).deleteHorizonMs()).hasValue(NOW + 1000);

        ctx.time.sleep(400);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(readAll(log)).extracting(CleanerTestContext.Entry::key).doesNotContain("k1");
    }


    @Test
    void doesNotCleanWhileTheDirtyRatioIsAtMostMinCleanableDirtyRatio() {
        CleanerTestContext ctx = context(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.5"));
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 60, 20);
        rollAndCommit(log);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        long cleanBytes = log.size();

        ctx.appendRounds(log, 3, 20);
        rollAndCommit(log);
        long dirtyBytes = log.size() - cleanBytes;
        assertThat((double) dirtyBytes / log.size()).isLessThan(0.5);
        List<String> filesBefore = fileNames(log.dir());
        CleanResult skipped = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(skipped.outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);
        assertThat(fileNames(log.dir())).isEqualTo(filesBefore);
        assertThat(cleaner.checkpoint(log)).hasValue(60);

        ctx.appendRounds(log, 30, 20);
        rollAndCommit(log);
        assertThat((double) (log.size() - cleanBytes) / log.size()).isGreaterThan(0.5);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(cleaner.checkpoint(log)).hasValue(93);
    }


    @Test
    void minCompactionLagKeepsSegmentsWithYoungRecordsUncompacted() {
        CleanerTestContext ctx = context(Map.of(LogConfig.MIN_COMPACTION_LAG_MS, "10000"));
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 60, 3);
        rollAndCommit(log);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);

        ctx.time.sleep(5_000);
        ctx.appendRounds(log, 60, 3);
        rollAndCommit(log);
        List<CleanerTestContext.Entry> before = readAll(log);
        ctx.time.sleep(5_001); // the first 60 records are now older than the lag, the next 60 are not

        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(result.endOffset()).isEqualTo(60);
        assertThat(readAll(log)).containsExactlyElementsOf(compacted(before, 60));
    }


    @Test
    void maxCompactionLagForcesAPassBelowTheDirtyRatio() {
        CleanerTestContext ctx = context(Map.of(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.9"));
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 60, 20);
        rollAndCommit(log);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        ctx.append(log, "k1", "late-1");
        ctx.append(log, "k1", "late-2");
        rollAndCommit(log);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);

        log.updateConfig(log.config().with(Map.of(LogConfig.MAX_COMPACTION_LAG_MS, "60000")));
        ctx.time.sleep(60_000);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);
        ctx.time.sleep(1);
        CleanResult forced = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(forced.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(readAll(log)).filteredOn(e -> e.key().equals("k1")).extracting(Object::toString).containsExactly("61:k1=late-2");
    }
}
