package dev.borges.storage.cleaner;

import static dev.borges.storage.cleaner.CleanerTestContext.fileNames;
import static dev.borges.storage.cleaner.CleanerTestContext.readAll;
import static dev.borges.storage.cleaner.CleanerTestContext.rollAndCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.OffsetCheckpointFile;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.LogStartState;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Choosing among many logs, through {@link LogCleaner#cleanDirtiest}. */
class LogCleanerManagerTest {
    @TempDir
    Path root;

    private final LogCleaner cleaner = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16));

    private PartitionLog open(CleanerTestContext ctx, String partitionDir) {
        return ctx.open(root.resolve(partitionDir), LogStartState.NEW);
    }

    @Test
    void cleansTheLogWithTheHighestDirtyRatioFirstAndSkipsLogsThatAreNotCompacted() {
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog mostlyClean = open(ctx, "orders-0");
        ctx.appendRounds(mostlyClean, 100, 30);
        rollAndCommit(mostlyClean);
        cleaner.cleanIfNeeded(mostlyClean, ctx.time.milliseconds());
        ctx.appendRounds(mostlyClean, 5, 30);
        rollAndCommit(mostlyClean);
        PartitionLog allDirty = open(ctx, "orders-1");
        ctx.appendRounds(allDirty, 100, 5);
        rollAndCommit(allDirty);
        CleanerTestContext deleteOnly = new CleanerTestContext(root, Map.of(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_POLICY_DELETE));
        PartitionLog notCompacted = deleteOnly.open(root.resolve("orders-2"), LogStartState.NEW);
        deleteOnly.appendRounds(notCompacted, 100, 5);
        rollAndCommit(notCompacted);
        List<PartitionLog> logs = List.of(mostlyClean, allDirty, notCompacted);

        Optional<CleanResult> first = cleaner.cleanDirtiest(logs, ctx.time.milliseconds());
        Optional<CleanResult> second = cleaner.cleanDirtiest(logs, ctx.time.milliseconds());
        Optional<CleanResult> third = cleaner.cleanDirtiest(logs, ctx.time.milliseconds());

        assertThat(first).map(CleanResult::topicPartition).hasValue(new TopicPartition("orders", 1));
        assertThat(second).map(CleanResult::topicPartition).hasValue(new TopicPartition("orders", 0));
        assertThat(third).isEmpty();
        assertThat(readAll(notCompacted)).hasSize(100);
        assertThat(new OffsetCheckpointFile(root.resolve("cleaner-offset-checkpoint")).read())
            .containsOnly(Map.entry(new TopicPartition("orders", 0), 105L), Map.entry(new TopicPartition("orders", 1), 100L));
    }

    @Test
    void aLogWithACorruptBatchIsMarkedUncleanableAndTheOthersAreStillCleaned() throws IOException {
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog corrupt = open(ctx, "orders-0");
        ctx.appendRounds(corrupt, 100, 5);
        rollAndCommit(corrupt);
        flipAByteInsideTheFirstBatch(corrupt.inactiveSegments().get(1));
        PartitionLog healthy = open(ctx, "orders-1");
        ctx.appendRounds(healthy, 60, 5);
        rollAndCommit(healthy);
        List<PartitionLog> logs = List.of(corrupt, healthy);
        List<String> corruptFiles = fileNames(corrupt.dir());

        assertThatThrownBy(() -> cleaner.cleanIfNeeded(corrupt, ctx.time.milliseconds())).isInstanceOf(CorruptRecordException.class);
        Optional<CleanResult> next = cleaner.cleanDirtiest(logs, ctx.time.milliseconds());

        assertThat(cleaner.uncleanablePartitions()).containsOnlyKeys(new TopicPartition("orders", 0));
        assertThat(next).map(CleanResult::topicPartition).hasValue(new TopicPartition("orders", 1));
        assertThat(cleaner.cleanDirtiest(logs, ctx.time.milliseconds())).isEmpty();
        assertThat(fileNames(corrupt.dir())).isEqualTo(corruptFiles);
        assertThat(cleaner.checkpoint(corrupt)).isEmpty();
    }

    @Test
    void forgetsADeletedPartitionsCheckpointAndUncleanableMark() {
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog log = open(ctx, "orders-0");
        ctx.appendRounds(log, 50, 5);
        rollAndCommit(log);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());
        assertThat(cleaner.checkpoint(log)).hasValue(50);

        cleaner.onDeleted(log);

        assertThat(cleaner.checkpoint(log)).isEmpty();
        assertThat(new OffsetCheckpointFile(root.resolve("cleaner-offset-checkpoint")).read()).isEmpty();
    }

    @Test
    void truncationBelowTheCheckpointBringsItDown() {
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog log = open(ctx, "orders-0");
        ctx.appendRounds(log, 50, 5);
        rollAndCommit(log);
        cleaner.cleanIfNeeded(log, ctx.time.milliseconds());

        cleaner.onTruncated(log, 70);
        assertThat(cleaner.checkpoint(log)).hasValue(50);
        cleaner.onTruncated(log, 20);
        assertThat(cleaner.checkpoint(log)).hasValue(20);
    }

    @Test
    void aPassOverALogAlreadyBeingCleanedIsRefused() {
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog log = open(ctx, "orders-0");
        ctx.appendRounds(log, 50, 5);
        rollAndCommit(log);
        CleanResult[] nested = new CleanResult[1];
        LogCleaner[] self = new LogCleaner[1];
        self[0] = new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16), (l, cleaned, old) -> {
            nested[0] = self[0].cleanIfNeeded(l, ctx.time.milliseconds());
            return l.replaceSegments(cleaned, old);
        });

        CleanResult outer = self[0].cleanIfNeeded(log, ctx.time.milliseconds());

        assertThat(outer.outcome()).isEqualTo(CleanResult.Outcome.CLEANED);
        assertThat(nested[0].outcome()).isEqualTo(CleanResult.Outcome.IN_PROGRESS);
    }

    private static void flipAByteInsideTheFirstBatch(LogSegment segment) throws IOException {
        try (FileChannel channel = FileChannel.open(segment.log().file(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, 65);
            one.put(0, (byte) (one.get(0) ^ 0x5a));
            channel.write(one.flip(), 65);
        }
    }
}
