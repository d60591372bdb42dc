package dev.borges.storage.cleaner;

import static dev.borges.storage.cleaner.CleanerTestContext.NOW;
import static dev.borges.storage.cleaner.CleanerTestContext.batches;
import static dev.borges.storage.cleaner.CleanerTestContext.bytes;
import static dev.borges.storage.cleaner.CleanerTestContext.compacted;
import static dev.borges.storage.cleaner.CleanerTestContext.fileNames;
import static dev.borges.storage.cleaner.CleanerTestContext.latestByKey;
import static dev.borges.storage.cleaner.CleanerTestContext.readAll;
import static dev.borges.storage.cleaner.CleanerTestContext.readFrom;
import static dev.borges.storage.cleaner.CleanerTestContext.rollAndCommit;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.EndTransactionMarker;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.record.TimestampType;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.OffsetCheckpointFile;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.LogStartState;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LogCleanerTest {
    @TempDir
    Path root;

    private final LogCleaner cleaner = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 20));

    private CleanerTestContext context(Map<String, String> overrides) {
        return new CleanerTestContext(root, overrides);
    }

    @Test
    void keepsExactlyTheLatestRecordOfEachKeyWithOffsetsAndOrderPreserved() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 200, 7);
        rollAndCommit(log);
        List<CleanerTestContext.Entry> before = readAll(log);

        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(result.endOffset()).isEqualTo(200);
        List<CleanerTestContext.Entry> after = readAll(log);
        assertThat(after).containsExactlyElementsOf(compacted(before, 200)).hasSize(7);
        assertThat(latestByKey(after)).isEqualTo(latestByKey(before));
        assertThat(result.recordsRemoved()).isEqualTo(193);
        assertThat(log.logEndOffset()).isEqualTo(200);
    }

    @Test
    void readingFromEveryOffsetOfTheCompactedLogReturnsTheRecordsFromThere() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 150, 11);
        log.roll();
        ctx.appendRounds(log, 20, 11); // the last few stay in the active segment, uncompacted
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.activeSegmentBaseOffset();
        List<CleanerTestContext.Entry> before = readAll(log);

        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        List<CleanerTestContext.Entry> after = readAll(log);
        assertThat(activeBase).isGreaterThan(150).isLessThan(170);
        assertThat(after).containsExactlyElementsOf(compacted(before, activeBase));
        for (long offset = 0; offset < log.logEndOffset(); offset++) {
            long from = offset;
            assertThat(readFrom(log, offset)).as("read from %d", offset)
                .containsExactlyElementsOf(after.stream().filter(e -> e.offset() >= from).toList());
        }
        log.close();
        PartitionLog reopened = ctx.open(log.dir(), new LogStartState(true, log.logEndOffset(), 0, log.logEndOffset()));
        assertThat(readAll(reopened)).containsExactlyElementsOf(after);
    }

    @Test
    void neverCleansTheActiveSegment() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 4);
        log.updateHighWatermark(log.logEndOffset());
        long activeBase = log.activeSegmentBaseOffset();
        List<CleanerTestContext.Entry> before = readAll(log);

        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(activeBase).isPositive().isLessThan(100);
        assertThat(result.endOffset()).isEqualTo(activeBase);
        assertThat(readAll(log)).containsExactlyElementsOf(compacted(before, activeBase));
        assertThat(readFrom(log, activeBase)).containsExactlyElementsOf(before.stream().filter(e -> e.offset() >= activeBase).toList());
    }

    @Test
    void neverCleansSegmentsThatReachPastTheHighWatermark() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 4);
        log.roll();
        log.updateHighWatermark(50);
        List<CleanerTestContext.Entry> before = readAll(log);

        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.endOffset()).isPositive().isLessThanOrEqualTo(50);
        assertThat(readAll(log)).containsExactlyElementsOf(compacted(before, result.endOffset()));
    }

    @Test
    void rebuiltBatchesKeepProducerStateLeaderEpochCompressionAndBaseOffset() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        MemoryRecords produced = new RecordBatchBuilder(0L).compression(CompressionType.LZ4).producer(42L, (short) 3, 100)
            .append(NOW, bytes("k1"), bytes("a"))
            .append(NOW, bytes("k2"), bytes("b"))
            .append(NOW, bytes("k1"), bytes("c"))
            .build();
        log.appendAsLeader(produced, 5);
        ctx.append(log, "k2", "d");
        rollAndCommit(log);

        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        RecordBatch rebuilt = batches(log).get(0);
        assertThat(rebuilt.baseOffset()).isZero();
        assertThat(rebuilt.lastOffset()).isEqualTo(2);
        assertThat(rebuilt.recordCount()).isEqualTo(1);
        assertThat(rebuilt.producerId()).isEqualTo(42L);
        assertThat(rebuilt.producerEpoch()).isEqualTo((short) 3);
        assertThat(rebuilt.baseSequence()).isEqualTo(100);
        assertThat(rebuilt.partitionLeaderEpoch()).isEqualTo(5);
        assertThat(rebuilt.compressionType()).isEqualTo(CompressionType.LZ4);
        assertThat(rebuilt.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(rebuilt.isValid()).isTrue();
        Record survivor = rebuilt.records().get(0);
        assertThat(survivor.offset()).isEqualTo(2);
        assertThat(survivor.sequence()).isEqualTo(102);
        assertThat(survivor.timestamp()).isEqualTo(NOW);
        assertThat(readAll(log)).extracting(Object::toString).containsExactly("2:k1=c", "3:k2=d");
    }

    @Test
    void rebuiltBatchesKeepTheirLogAppendTime() {
        CleanerTestContext ctx = context(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        PartitionLog log = ctx.open();
        ctx.append(log, "k1", "a", "k2", "b");
        ctx.time.sleep(5_000);
        ctx.append(log, "k1", "c");
        rollAndCommit(log);

        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        RecordBatch rebuilt = batches(log).get(0);
        assertThat(rebuilt.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(rebuilt.maxTimestamp()).isEqualTo(NOW);
        assertThat(rebuilt.records()).extracting(Record::timestamp).containsExactly(NOW);
        assertThat(readAll(log)).extracting(Object::toString).containsExactly("1:k2=b", "2:k1=c");
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void compressedBatchesCompactToTheLatestValuesAndStayCompressed(CompressionType compression) {
        CleanerTestContext ctx = context(Map.of(LogConfig.SEGMENT_BYTES, "2048"));
        PartitionLog log = ctx.open();
        for (int round = 0; round < 30; round++) {
            ctx.append(log, compression, "k" + (round % 4), "r" + round + "-a", "k" + ((round + 1) % 6), "r" + round + "-b",
                "k" + ((round + 2) % 5), null);
        }
        rollAndCommit(log);
        List<CleanerTestContext.Entry> before = readAll(log);

        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(readAll(log)).containsExactlyElementsOf(compacted(before, log.logEndOffset()));
        assertThat(batches(log)).isNotEmpty()
            .allSatisfy(batch -> assertThat(batch.compressionType()).isEqualTo(batch.recordCount() == 0 ? CompressionType.NONE : compression))
            .allSatisfy(batch -> assertThat(batch.isValid()).isTrue());
    }

    @Test
    void writesTheCheckpointToCleanerOffsetCheckpointAndResumesFromItAfterARestart() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 80, 5);
        rollAndCommit(log);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        Path file = root.resolve("cleaner-offset-checkpoint");
        assertThat(new OffsetCheckpointFile(file).read()).containsExactly(Map.entry(new TopicPartition("orders", 0), 80L));
        LogCleaner restarted = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16));
        assertThat(restarted.checkpoint(log)).hasValue(80);
        assertThat(restarted.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);
    }

    @Test
    void aCheckpointBeyondTheLogEndIsResetToTheLogStart() throws IOException {
        CleanerTestContext ctx = context(Map.of());
        new OffsetCheckpointFile(root.resolve("cleaner-offset-checkpoint")).write(Map.of(new TopicPartition("orders", 0), 5_000L));
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 80, 5);
        rollAndCommit(log);

        CleanResult result = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16))
            .cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.firstDirtyOffset()).isZero();
        assertThat(result.endOffset()).isEqualTo(80);
        assertThat(readAll(log)).hasSize(5);
    }

    @Test
    void cleansInSeveralPassesWhenTheOffsetMapCannotHoldEveryDirtyKey() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 200, 40);
        rollAndCommit(log);
        List<CleanerTestContext.Entry> before = readAll(log);
        LogCleaner small = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(OffsetMap.BYTES_PER_ENTRY * 12L));

        CleanResult first = small.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(first.endOffset()).isGreaterThan(0).isLessThan(200);
        long previous = first.endOffset();
        int passes = 1;
        while (small.cleanIfNeeded(log, ctx.time.milliseconds()).outcome() == CleanResult.Outcome.CLEANED) {
            long end = small.checkpoint(log).orElseThrow();
            assertThat(end).isGreaterThan(previous);
            previous = end;
            passes++;
            assertThat(passes).isLessThan(100);
        }

        assertThat(previous).isEqualTo(200);
        assertThat(passes).isGreaterThan(4);
        assertThat(readAll(log)).containsExactlyElementsOf(compacted(before, 200));
    }

    @Test
    void laterPassesMergeSmallCleanedSegmentsIntoSegmentsNoLargerThanSegmentBytes() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 300, 9);
        rollAndCommit(log);
        int segmentsBefore = log.numberOfSegments();
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds()); // groups are formed from the sizes before cleaning
        ctx.appendRounds(log, 5, 9);
        rollAndCommit(log);

        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(segmentsBefore).isGreaterThan(10);
        assertThat(log.numberOfSegments()).isLessThan(segmentsBefore / 2);
        assertThat(log.inactiveSegments()).allSatisfy(segment -> assertThat(segment.size()).isLessThanOrEqualTo(1024));
    }

    @Test
    void aSegmentWhoseRecordsAreAllSupersededKeepsItsOffsetRangeWithAnEmptyBatch() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 5);
        rollAndCommit(log);
        long firstSegmentLastOffset = log.inactiveSegments().get(1).baseOffset() - 1;

        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        RecordBatch first = batches(log).get(0);
        assertThat(first.recordCount()).isZero();
        assertThat(first.lastOffset()).isEqualTo(firstSegmentLastOffset);
        assertThat(first.isValid()).isTrue();
        assertThat(log.inactiveSegments().get(0).baseOffset()).isZero();
    }

    @Test
    void controlBatchesAreLeftByteForByte() throws IOException {
        CleanerTestContext ctx = context(Map.of());
        Path dir = root.resolve(CleanerTestContext.PARTITION_DIR);
        Files.createDirectories(dir);
        MemoryRecords marker = new EndTransactionMarker(ControlRecordType.COMMIT, 4).toBatch(1, NOW, 7L, (short) 0, 0);
        try (LogSegment segment = LogSegment.open(dir, 0, 1 << 20, 4096, 0, NOW, "")) {
            segment.append(0, new RecordBatchBuilder(0).producer(7L, (short) 0, 0).transactional(true)
                .append(NOW, bytes("k1"), bytes("in-txn")).build());
            segment.append(1, marker);
            segment.append(2, new RecordBatchBuilder(2).append(NOW, bytes("k1"), bytes("after")).build());
        }
        PartitionLog log = ctx.open(dir, new LogStartState(false, 0, 0, 0));
        rollAndCommit(log);

        CleanResult result = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        List<RecordBatch> stored = batches(log);
        assertThat(stored).hasSize(2);
        assertThat(stored.get(0).isControlBatch()).isTrue();
        assertThat(stored.get(0).buffer()).isEqualTo(marker.buffer());
        assertThat(readAll(log)).extracting(Object::toString).contains("2:k1=after").doesNotContain("0:k1=in-txn");
    }

    @Test
    void recordsWithoutKeyAreRemovedOnceTheTopicBecomesCompacted() {
        CleanerTestContext ctx = context(Map.of(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_POLICY_DELETE));
        PartitionLog log = ctx.open();
        log.appendAsLeader(new RecordBatchBuilder(0).append(NOW, null, bytes("no-key")).append(NOW, bytes("k1"), bytes("a")).build(), 0);
        rollAndCommit(log);
        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);

        log.updateConfig(log.config().with(Map.of(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_POLICY_COMPACT)));
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(readAll(log)).extracting(Object::toString).containsExactly("1:k1=a");
    }

    @Test
    void abandonsThePassWithoutLeftoversWhenTheSwapIsRefused() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 5);
        rollAndCommit(log);
        List<CleanerTestContext.Entry> before = readAll(log);
        List<String> filesBefore = fileNames(log.dir());
        LogCleaner refusing = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16), (l, cleaned, old) -> false);

        CleanResult result = refusing.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(result.outcome()).isEqualTo(CleanResult.Outcome.ABORTED);
        assertThat(fileNames(log.dir())).isEqualTo(filesBefore);
        assertThat(readAll(log)).isEqualTo(before);
        assertThat(refusing.checkpoint(log)).isEmpty();
    }

    @Test
    void abandonsThePassWhenRetentionDeletesItsSegmentsMeanwhileAndTheNextPassSucceeds() {
        CleanerTestContext ctx = context(Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 5);
        rollAndCommit(log);
        long secondSegment = log.inactiveSegments().get(1).baseOffset();
        SegmentSwapper retentionFirst = (l, cleaned, old) -> {
            l.advanceLogStartOffset(secondSegment);
            return l.replaceSegments(cleaned, old);
        };
        LogCleaner racing = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16), retentionFirst);

        assertThat(racing.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.ABORTED);
        assertThat(fileNames(log.dir())).noneMatch(name -> name.endsWith(LogSegment.CLEANED_SUFFIX));
        List<CleanerTestContext.Entry> before = readAll(log);

        CleanResult retry = cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(retry.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(retry.firstDirtyOffset()).isEqualTo(secondSegment);
        assertThat(readAll(log)).containsExactlyElementsOf(compacted(before, 100));
    }

    @Test
    void logsThatAreNotCompactedAreNeverCleaned() {
        CleanerTestContext ctx = context(Map.of(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_POLICY_DELETE));
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 5);
        rollAndCommit(log);

        assertThat(cleaner.cleanIfNeeded(log, ctx.time.milliseconds()).outcome()).isEqualTo(CleanResult.Outcome.NOT_NEEDED);
        assertThat(cleaner.cleanDirtiest(List.of(log), ctx.time.milliseconds())).isEmpty();
        assertThat(readAll(log)).hasSize(100);
    }

    @Test
    void keepsBothCompactAndDeletePoliciesCompacted() {
        CleanerTestContext ctx = context(Map.of(LogConfig.CLEANUP_POLICY, "compact,delete"));
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 5);
        rollAndCommit(log);

        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(readAll(log)).hasSize(5);
    }
}
