package dev.borges.storage.log;

import static dev.borges.storage.log.TestBatches.batch;
import static dev.borges.storage.log.TestBatches.batchOfSize;
import static dev.borges.storage.log.TestBatches.contents;
import static dev.borges.storage.log.TestBatches.expected;
import static dev.borges.storage.log.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.record.TimestampType;
import dev.borges.storage.MockTime;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionLogTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;

    private final MockTime time = new MockTime(NOW);

    private PartitionLog open(Map<String, String> config, LogStartState start) {
        return PartitionLog.open(root.resolve("orders-0"), LogConfig.of(config), start, time, PartitionLog::deleteNow);
    }

    private PartitionLog open(Map<String, String> config) {
        return open(config, LogStartState.NEW);
    }

    @Test
    void assignsOffsetsAndReadsRecordsBackInOrder() {
        PartitionLog log = open(Map.of());
        LogAppendInfo first = log.appendAsLeader(batch(0, 3, NOW), 0);
        LogAppendInfo second = log.appendAsLeader(batch(3, 2, NOW), 0);

        assertThat(first.firstOffset()).isZero();
        assertThat(first.lastOffset()).isEqualTo(2);
        assertThat(second.firstOffset()).isEqualTo(3);
        assertThat(second.lastOffset()).isEqualTo(4);
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(readAll(log, 0)).containsExactlyElementsOf(expected(0, 0, 5));
        assertThat(readAll(log, 3)).containsExactlyElementsOf(expected(3, 3, 2));
    }

    @Test
    void storesBatchesExactlyAsReceivedApartFromTheOffsetAndEpochStamps() {
        PartitionLog log = open(Map.of());
        log.appendAsLeader(batch(0, 1, NOW), 0);
        MemoryRecords sent = batch(1, 4, NOW);
        ByteBuffer original = ByteBuffer.allocate(sent.sizeInBytes());
        sent.copyTo(original);
        log.appendAsLeader(sent, 7);

        FetchDataInfo info = log.read(1, 10_000, FetchIsolation.LOG_END, false);
        ByteBuffer stored = ByteBuffer.allocate(info.records().sizeInBytes());
        info.records().copyTo(stored);
        RecordBatch batch = RecordBatch.wrap(stored.flip());
        assertThat(batch.baseOffset()).isEqualTo(1);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(7);
        assertThat(batch.isValid()).isTrue();
        // everything the CRC covers is byte for byte what the producer sent
        assertThat(stored.duplicate().position(21)).isEqualTo(original.flip().position(21));
    }

    @Test
    void rollsSegmentsAndReadsAcrossThem() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "500"));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i * 2, 2, NOW), 0);
        }
        assertThat(log.numberOfSegments()).isGreaterThan(3);
        assertThat(readAll(log, 0)).containsExactlyElementsOf(expected(0, 0, 60));
        assertThat(readAll(log, 33)).first().isEqualTo("32:key-32=value-32"); // from the batch holding 33
    }

    @Test
    void rollsOnSegmentAge() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_MS, "1000"));
        log.appendAsLeader(batch(0, 1, NOW), 0);
        time.sleep(500);
        log.appendAsLeader(batch(1, 1, NOW + 500), 0);
        assertThat(log.numberOfSegments()).isEqualTo(1);
        time.sleep(600);
        log.appendAsLeader(batch(2, 1, NOW + 1100), 0);
        assertThat(log.numberOfSegments()).isEqualTo(2);
        assertThat(readAll(log, 0)).containsExactlyElementsOf(expected(0, 0, 3));
    }

    @Test
    void readRespectsMaxBytesButAlwaysReturnsAWholeFirstBatchWhenAsked() {
        PartitionLog log = open(Map.of());
        log.appendAsLeader(batchOfSize(2000, NOW), 0);
        log.appendAsLeader(batchOfSize(2000, NOW), 0);

        FetchDataInfo whole = log.read(0, 100, FetchIsolation.LOG_END, true);
        assertThat(contents(whole.records())).hasSize(1);
        FetchDataInfo cut = log.read(0, 100, FetchIsolation.LOG_END, false);
        assertThat(cut.records().sizeInBytes()).isEqualTo(100);
        assertThat(cut.firstEntryIncomplete()).isTrue();
        assertThat(contents(cut.records())).isEmpty();
    }

    @Test
    void consumersReadOnlyUpToTheHighWatermark() {
        PartitionLog log = open(Map.of());
        log.appendAsLeader(batch(0, 2, NOW), 0);
        log.appendAsLeader(batch(2, 2, NOW), 0);
        log.updateHighWatermark(2);

        assertThat(contents(log.read(0, 10_000, FetchIsolation.HIGH_WATERMARK, false).records()))
            .containsExactlyElementsOf(expected(0, 0, 2));
        assertThat(contents(log.read(2, 10_000, FetchIsolation.HIGH_WATERMARK, false).records())).isEmpty();
        assertThat(contents(log.read(0, 10_000, FetchIsolation.LOG_END, false).records())).hasSize(4);
        log.updateHighWatermark(99);
        assertThat(log.highWatermark()).as("capped at the log end").isEqualTo(4);
    }

    @Test
    void readOutsideTheLogIsOffsetOutOfRange() {
        PartitionLog log = open(Map.of());
        log.appendAsLeader(batch(0, 2, NOW), 0);
        assertThatThrownBy(() -> log.read(3, 100, FetchIsolation.LOG_END, false))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE));
        assertThat(contents(log.read(2, 100, FetchIsolation.LOG_END, false).records())).as("at the log end: nothing yet").isEmpty();
    }

    @Test
    void sendsFetchedBytesWithZeroCopyTransfer() throws IOException {
        PartitionLog log = open(Map.of());
        log.appendAsLeader(batch(0, 5, NOW), 0);
        FileRecords slice = (FileRecords) log.read(0, 10_000, FetchIsolation.LOG_END, false).records();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (WritableByteChannel channel = Channels.newChannel(out)) {
            long sent = 0;
            while (sent < slice.sizeInBytes()) {
                sent += slice.transferTo(channel, sent, slice.sizeInBytes() - sent);
            }
        }
        assertThat(contents(MemoryRecords.readableView(ByteBuffer.wrap(out.toByteArray())))).containsExactlyElementsOf(expected(0, 0, 5));
    }

    @Test
    void rejectsCorruptBatchesAndWritesNothing() {
        PartitionLog log = open(Map.of());
        MemoryRecords corrupt = batch(0, 2, NOW);
        ByteBuffer bytes = ByteBuffer.allocate(corrupt.sizeInBytes());
        corrupt.copyTo(bytes);
        bytes.put(bytes.limit() - 1, (byte) (bytes.get(bytes.limit() - 1) ^ 1));
        assertThatThrownBy(() -> log.appendAsLeader(MemoryRecords.readableView(bytes.flip()), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.CORRUPT_MESSAGE));
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.size()).isZero();
    }

    @Test
    void rejectsTruncatedBatches() {
        PartitionLog log = open(Map.of());
        MemoryRecords good = batch(0, 2, NOW);
        ByteBuffer bytes = ByteBuffer.allocate(good.sizeInBytes());
        good.copyTo(bytes);
        bytes.flip().limit(bytes.limit() - 3);
        assertThatThrownBy(() -> log.appendAsLeader(MemoryRecords.readableView(bytes), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.CORRUPT_MESSAGE));
        assertThat(log.size()).isZero();
    }

    @Test
    void rejectsBatchesOverMaxMessageBytes() {
        PartitionLog log = open(Map.of(LogConfig.MAX_MESSAGE_BYTES, "1000"));
        assertThatThrownBy(() -> log.appendAsLeader(batchOfSize(2000, NOW), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.MESSAGE_TOO_LARGE));
        assertThat(log.size()).isZero();
    }

    @Test
    void rejectsMoreBytesThanASegmentHolds() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "1000"));
        assertThatThrownBy(() -> log.appendAsLeader(batchOfSize(2000, NOW), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.RECORD_LIST_TOO_LARGE));
    }

    @Test
    void compactedTopicsRejectRecordsWithoutKeys() {
        PartitionLog log = open(Map.of(LogConfig.CLEANUP_POLICY, "compact"));
        MemoryRecords keyless = new RecordBatchBuilder(0L).append(NOW, "k".getBytes(), "v".getBytes()).append(NOW, null, "v".getBytes()).build();
        assertThatThrownBy(() -> log.appendAsLeader(keyless, 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_RECORD));
        assertThat(log.size()).isZero();
    }

    @Test
    void rejectsTimestampsTooFarInTheFuture() {
        PartitionLog log = open(Map.of(LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS, "1000"));
        assertThatThrownBy(() -> log.appendAsLeader(batch(0, 1, NOW + 5000), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_TIMESTAMP));
    }

    @Test
    void logAppendTimeTopicsStampTheBrokerTime() {
        PartitionLog log = open(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime"));
        LogAppendInfo info = log.appendAsLeader(batch(0, 2, 12345L), 0);
        assertThat(info.logAppendTimeMs()).isEqualTo(NOW);
        FetchDataInfo read = log.read(0, 10_000, FetchIsolation.LOG_END, false);
        ByteBuffer stored = ByteBuffer.allocate(read.records().sizeInBytes());
        read.records().copyTo(stored);
        RecordBatch batch = RecordBatch.wrap(stored.flip());
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(NOW);
        assertThat(batch.isValid()).isTrue();
    }

    @Test
    void findsOffsetsByTimestamp() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "400"));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(new RecordBatchBuilder(0L)
                .append(NOW + i * 10L, ("key-" + i).getBytes(), "a".getBytes())
                .append(NOW + i * 10L + 5, ("key-" + i).getBytes(), "b".getBytes()).build(), 0);
        }
        assertThat(log.offsetForTimestamp(NOW + 55)).contains(new TimestampLookup(NOW + 55, 11));
        assertThat(log.offsetForTimestamp(NOW + 56)).contains(new TimestampLookup(NOW + 60, 12));
        assertThat(log.offsetForTimestamp(0)).contains(new TimestampLookup(NOW, 0));
        assertThat(log.offsetForTimestamp(NOW + 10_000)).isEmpty();
        assertThat(log.offsetForTimestamp(TimestampLookup.EARLIEST_TIMESTAMP).get().offset()).isZero();
        assertThat(log.offsetForTimestamp(TimestampLookup.LATEST_TIMESTAMP).get().offset()).isEqualTo(40);
        assertThat(log.offsetForTimestamp(TimestampLookup.MAX_TIMESTAMP)).contains(new TimestampLookup(NOW + 195, 39));
    }

    @Test
    void maxTimestampIsTheExactRecordEvenMidBatch() {
        PartitionLog log = open(Map.of());
        log.appendAsLeader(new RecordBatchBuilder(0L)
            .append(NOW, "a".getBytes(), "1".getBytes())
            .append(NOW + 900, "b".getBytes(), "2".getBytes())
            .append(NOW + 100, "c".getBytes(), "3".getBytes()).build(), 0);
        assertThat(log.offsetForTimestamp(TimestampLookup.MAX_TIMESTAMP)).contains(new TimestampLookup(NOW + 900, 1));
    }

    @Test
    void reopensAfterACleanCloseWithEverything() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "500"));
        for (int i = 0; i < 20; i++) {
            log.appendAsLeader(batch(i * 3, 3, NOW), 0);
        }
        log.close();
        PartitionLog reopened = open(Map.of(LogConfig.SEGMENT_BYTES, "500"), new LogStartState(true, 60, 0, 60));
        assertThat(reopened.logEndOffset()).isEqualTo(60);
        assertThat(reopened.highWatermark()).isEqualTo(60);
        assertThat(readAll(reopened, 0)).containsExactlyElementsOf(expected(0, 0, 60));
        reopened.appendAsLeader(batch(60, 1, NOW), 0);
        assertThat(readAll(reopened, 58)).containsExactlyElementsOf(expected(57, 57, 4));
    }

    @Test
    void retentionByTimeDeletesOldInactiveSegmentsOnly() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.RETENTION_MS, "60000"));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        time.sleep(30_000);
        for (int i = 10; i < 20; i++) {
            log.appendAsLeader(batch(i, 1, NOW + 30_000), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        int segmentsBefore = log.numberOfSegments();
        assertThat(log.deleteOldSegments()).isZero();
        time.sleep(40_000); // first half now 70 s old, second half 40 s
        int deleted = log.deleteOldSegments();
        assertThat(deleted).isPositive();
        assertThat(log.numberOfSegments()).isEqualTo(segmentsBefore - deleted);
        assertThat(log.logStartOffset()).isLessThanOrEqualTo(10).isPositive();
        List<String> remaining = readAll(log, log.logStartOffset());
        assertThat(remaining).last().isEqualTo("19:key-19=value-19");
        time.sleep(1_000_000);
        log.deleteOldSegments();
        assertThat(log.numberOfSegments()).as("the active segment stays").isEqualTo(1);
        assertThat(log.logEndOffset()).isEqualTo(20);
    }

    @Test
    void retentionBySizeKeepsTheNewestSegments() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.RETENTION_BYTES, "600"));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        log.deleteOldSegments();
        assertThat(log.size()).isLessThanOrEqualTo(600 + 300);
        assertThat(readAll(log, log.logStartOffset())).last().isEqualTo("29:key-29=value-29");
    }

    @Test
    void retentionNeverDeletesAboveTheHighWatermark() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.RETENTION_BYTES, "0"));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.updateHighWatermark(0);
        assertThat(log.deleteOldSegments()).isZero();
    }

    @Test
    void deleteRecordsMovesTheLogStartAndDropsWholeSegmentsBelowIt() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.updateHighWatermark(30);
        int segments = log.numberOfSegments();
        log.advanceLogStartOffset(17);
        assertThat(log.logStartOffset()).isEqualTo(17);
        assertThat(log.numberOfSegments()).isLessThan(segments);
        assertThat(readAll(log, 17)).first().isEqualTo("17:key-17=value-17");
        assertThatThrownBy(() -> log.read(16, 100, FetchIsolation.LOG_END, false))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE));
        assertThatThrownBy(() -> log.advanceLogStartOffset(31))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE));
    }

    @Test
    void truncateToRemovesEverythingFromAnOffsetOn() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"));
        for (int i = 0; i < 30; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.updateHighWatermark(30);
        log.truncateTo(12);
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(log.highWatermark()).isEqualTo(12);
        assertThat(readAll(log, 0)).containsExactlyElementsOf(expected(0, 0, 12));
        log.appendAsLeader(batch(100, 2, NOW), 0);
        assertThat(readAll(log, 11)).containsExactly("11:key-11=value-11", "12:key-100=value-100", "13:key-101=value-101");
    }

    @Test
    void truncateFullyStartsTheLogAgainAtAnOffset() {
        PartitionLog log = open(Map.of());
        log.appendAsLeader(batch(0, 5, NOW), 0);
        log.truncateFullyAndStartAt(500);
        assertThat(log.logStartOffset()).isEqualTo(500);
        assertThat(log.logEndOffset()).isEqualTo(500);
        assertThat(log.appendAsLeader(batch(0, 1, NOW), 0).firstOffset()).isEqualTo(500);
        assertThat(readAll(log, 500)).containsExactly("500:key-0=value-0");
    }

    @Test
    void flushMessagesMovesTheRecoveryPoint() {
        PartitionLog log = open(Map.of(LogConfig.FLUSH_MESSAGES, "3"));
        log.appendAsLeader(batch(0, 2, NOW), 0);
        assertThat(log.recoveryPoint()).isZero();
        log.appendAsLeader(batch(2, 2, NOW), 0);
        assertThat(log.recoveryPoint()).isEqualTo(4);
    }

    @Test
    void leavesNoFilesOfDeletedSegments() throws IOException {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.RETENTION_BYTES, "0"));
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch(i, 1, NOW), 0);
        }
        log.updateHighWatermark(10);
        log.deleteOldSegments();
        try (var files = Files.list(log.dir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(name -> name.endsWith(".deleted"))
                .filteredOn(name -> name.endsWith(".log")).hasSize(1);
        }
    }

    @Test
    void remembersLeaderEpochsAcrossAppendsTruncationAndRestart() {
        PartitionLog log = open(Map.of(LogConfig.SEGMENT_BYTES, "300"));
        log.appendAsLeader(batch(0, 3, NOW), 1);
        log.appendAsLeader(batch(3, 3, NOW), 1);
        log.appendAsLeader(batch(6, 2, NOW), 4);
        log.appendAsLeader(batch(8, 2, NOW), 6);
        assertThat(log.leaderEpochForOffset(5)).hasValue(1);
        assertThat(log.leaderEpochForOffset(7)).hasValue(4);
        assertThat(log.endOffsetForEpoch(1)).isEqualTo(new dev.borges.storage.epoch.EpochEndOffset(1, 6));
        assertThat(log.endOffsetForEpoch(5)).isEqualTo(new dev.borges.storage.epoch.EpochEndOffset(4, 8));
        assertThat(log.endOffsetForEpoch(6)).isEqualTo(new dev.borges.storage.epoch.EpochEndOffset(6, 10));

        log.truncateTo(8);
        assertThat(log.latestLeaderEpoch()).hasValue(4);
        log.close();

        // an unclean restart rebuilds the epochs of the recovered batches from their headers
        PartitionLog reopened = open(Map.of(LogConfig.SEGMENT_BYTES, "300"), new LogStartState(false, 0, 0, 0));
        assertThat(reopened.latestLeaderEpoch()).hasValue(4);
        assertThat(reopened.endOffsetForEpoch(1)).isEqualTo(new dev.borges.storage.epoch.EpochEndOffset(1, 6));
    }
}
