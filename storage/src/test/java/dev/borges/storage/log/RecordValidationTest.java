package dev.borges.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.MockTime;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The record-level checks a leader makes on a producer's batch, as Kafka's LogValidator does:
 * records are read (compressed ones decompressed), not only the batch header.
 */
class RecordValidationTest {
    private static final long NOW = 1_700_000_000_000L;
    /** Where the CRC sits in a v2 batch header (it covers everything from the attributes on). */
    private static final int CRC_OFFSET = 17;
    private static final int LAST_OFFSET_DELTA_OFFSET = 23;
    private static final int RECORD_COUNT_OFFSET = 57;

    @TempDir
    Path root;

    private PartitionLog open(Map<String, String> config) {
        return PartitionLog.open(root.resolve("orders-0"), LogConfig.of(config), LogStartState.NEW, new MockTime(NOW),
            PartitionLog::deleteNow);
    }

    @Test
    void rejectsACompressedBatchWhoseRecordsEndBeforeItsCountWithAValidCrc() {
        PartitionLog log = open(Map.of());
        ByteBuffer bytes = copy(new RecordBatchBuilder(0L).compression(CompressionType.LZ4)
            .append(NOW, "a".getBytes(), "1".getBytes()).append(NOW, "b".getBytes(), "2".getBytes()).build());
        // The header now claims three records (last offset delta 2); the compressed data holds two.
        bytes.putInt(RECORD_COUNT_OFFSET, 3).putInt(LAST_OFFSET_DELTA_OFFSET, 2);
        rewriteCrc(bytes);

        assertThatThrownBy(() -> log.appendAsLeader(MemoryRecords.readableView(bytes), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.CORRUPT_MESSAGE));
        assertThat(log.size()).isZero();
    }

    @Test
    void rejectsARecordTimestampOutOfRangeBetweenValidBaseAndMaxTimestamps() {
        PartitionLog log = open(Map.of(LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, "60000"));
        MemoryRecords batch = new RecordBatchBuilder(0L).compression(CompressionType.LZ4)
            .append(NOW, "a".getBytes(), "1".getBytes())
            .append(NOW - 3_600_000, "b".getBytes(), "2".getBytes())
            .append(NOW, "c".getBytes(), "3".getBytes()).build();

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_TIMESTAMP));
        assertThat(log.size()).isZero();
    }

    @Test
    void storesTheLargestRecordTimestampAsTheBatchMaxTimestamp() {
        PartitionLog log = open(Map.of());
        ByteBuffer bytes = copy(new RecordBatchBuilder(0L)
            .append(NOW, "a".getBytes(), "1".getBytes()).append(NOW + 100, "b".getBytes(), "2".getBytes()).build());
        RecordBatch.wrap(bytes.duplicate()).setMaxTimestamp(dev.borges.protocol.record.TimestampType.CREATE_TIME, NOW + 50_000);

        log.appendAsLeader(MemoryRecords.readableView(bytes), 0);

        RecordBatch stored = storedBatch(log);
        assertThat(stored.maxTimestamp()).isEqualTo(NOW + 100);
        assertThat(stored.isValid()).isTrue();
        assertThat(log.offsetForTimestamp(TimestampLookup.MAX_TIMESTAMP)).contains(new TimestampLookup(NOW + 100, 1));
    }

    @Test
    void rejectsRecordsWhoseOffsetDeltasDoNotRunFromZero() {
        PartitionLog log = open(Map.of());
        MemoryRecords gap = new RecordBatchBuilder(0L)
            .appendWithOffset(0, NOW, "a".getBytes(), "1".getBytes(), java.util.List.of())
            .appendWithOffset(2, NOW, "b".getBytes(), "2".getBytes(), java.util.List.of()).build();
        ByteBuffer bytes = copy(gap);
        // Two records, last offset delta 1: the header agrees with the count, the second record does not.
        bytes.putInt(LAST_OFFSET_DELTA_OFFSET, 1);
        rewriteCrc(bytes);

        assertThatThrownBy(() -> log.appendAsLeader(MemoryRecords.readableView(bytes), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_RECORD));
        assertThat(log.size()).isZero();
    }

    @Test
    void compactedTopicsRejectACompressedRecordWithoutAKey() {
        PartitionLog log = open(Map.of(LogConfig.CLEANUP_POLICY, "compact"));
        MemoryRecords keyless = new RecordBatchBuilder(0L).compression(CompressionType.LZ4)
            .append(NOW, "k".getBytes(), "v".getBytes()).append(NOW, null, "v".getBytes()).build();

        assertThatThrownBy(() -> log.appendAsLeader(keyless, 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_RECORD));
    }

    @Test
    void logAppendTimeTopicsDoNotCheckTheProducersTimestamps() {
        PartitionLog log = open(Map.of(LogConfig.MESSAGE_TIMESTAMP_TYPE, "LogAppendTime",
            LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS, "60000"));

        log.appendAsLeader(new RecordBatchBuilder(0L).append(NOW - 3_600_000, "a".getBytes(), "1".getBytes()).build(), 0);

        assertThat(storedBatch(log).maxTimestamp()).isEqualTo(NOW);
    }

    private static ByteBuffer copy(MemoryRecords records) {
        ByteBuffer bytes = ByteBuffer.allocate(records.sizeInBytes());
        records.copyTo(bytes);
        return bytes.flip();
    }

    private static void rewriteCrc(ByteBuffer bytes) {
        bytes.putInt(CRC_OFFSET, (int) RecordBatch.wrap(bytes.duplicate()).computeChecksum());
    }

    private static RecordBatch storedBatch(PartitionLog log) {
        FetchDataInfo read = log.read(0, 10_000, FetchIsolation.LOG_END, false);
        ByteBuffer stored = ByteBuffer.allocate(read.records().sizeInBytes());
        read.records().copyTo(stored);
        return RecordBatch.wrap(stored.flip());
    }
}
