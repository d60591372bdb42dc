package dev.borges.storage.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.MockTime;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogManagerTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final LogManagerConfig IMMEDIATE_DELETES = new LogManagerConfig(300_000L, Long.MAX_VALUE, 60_000L, 0L,
        dev.borges.storage.producer.ProducerStateConfig.defaults(), dev.borges.storage.cleaner.CleanerConfig.defaults());
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);
    private static final TopicPartition CLICK_STREAM_3 = new TopicPartition("click-stream", 3);

    @TempDir
    Path logDir;

    private final MockTime time = new MockTime(NOW);

    private LogManager open() {
        return LogManager.open(logDir, IMMEDIATE_DELETES, partition -> LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "400")), time);
    }

    private static MemoryRecords records(int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        for (int i = 0; i < count; i++) {
            builder.append(NOW, ("k" + i).getBytes(), ("v" + i).getBytes());
        }
        return builder.build();
    }

    @Test
    void cleanShutdownLeavesAMarkerAndCheckpointsThatTheNextStartUses() {
        LogManager manager = open();
        PartitionLog orders = manager.getOrCreate(ORDERS_0, LogConfig.defaults());
        for (int i = 0; i < 10; i++) {
            orders.appendAsLeader(records(3), 0);
        }
        orders.updateHighWatermark(24);
        manager.getOrCreate(CLICK_STREAM_3, LogConfig.defaults()).appendAsLeader(records(2), 0);
        manager.close();
        assertThat(logDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).exists();

        LogManager reopened = open();
        assertThat(logDir.resolve(LogManager.CLEAN_SHUTDOWN_FILE)).as("removed while running").doesNotExist();
        PartitionLog orders2 = reopened.log(ORDERS_0).orElseThrow();
        assertThat(orders2.logEndOffset()).isEqualTo(30);
        assertThat(orders2.highWatermark()).isEqualTo(24);
        assertThat(orders2.recoveryPoint()).isEqualTo(30);
        assertThat(reopened.log(CLICK_STREAM_3).orElseThrow().logEndOffset()).isEqualTo(2);
        reopened.close();
    }

    @Test
    void aCrashIsNoticedAndTheLogsRecovered() throws IOException {
        LogManager manager = open();
        PartitionLog orders = manager.getOrCreate(ORDERS_0, LogConfig.defaults());
        orders.appendAsLeader(records(5), 0);
        orders.flush(orders.logEndOffset());
        manager.checkpoint();
        orders.appendAsLeader(records(5), 0);
        // a torn write at the end, then the process dies: no close, no marker
        Path active = Files.list(orders.dir()).filter(p -> p.toString().endsWith(".log")).sorted().reduce((a, b) -> b).orElseThrow();
        Files.write(active, new byte[] {0, 0, 0, 0, 0, 0, 0, 10, 0, 0}, java.nio.file.StandardOpenOption.APPEND);
        releaseWithoutClosing(manager);

        LogManager reopened = open();
        PartitionLog recovered = reopened.log(ORDERS_0).orElseThrow();
        assertThat(recovered.logEndOffset()).isEqualTo(10);
        assertThat(recovered.appendAsLeader(records(1), 0).firstOffset()).isEqualTo(10);
        reopened.close();
    }

    @Test
    void deletedPartitionsDoNotComeBack() {
        LogManager manager = open();
        manager.getOrCreate(ORDERS_0, LogConfig.defaults()).appendAsLeader(records(3), 0);
        manager.delete(ORDERS_0);
        assertThat(manager.log(ORDERS_0)).isEmpty();
        assertThat(logDir.resolve("orders-0")).doesNotExist();
        manager.close();
        LogManager reopened = open();
        assertThat(reopened.log(ORDERS_0)).isEmpty();
        reopened.close();
    }

    @Test
    void aSecondManagerCannotTakeTheSameDirectory() {
        LogManager manager = open();
        try {
            // the JVM refuses a second lock on the same file: the same protection another process gets
            assertThatThrownBy(this::open).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR));
        } finally {
            manager.close();
        }
    }

    @Test
    void retentionRunsOverEveryLog() {
        LogManager manager = LogManager.open(logDir, IMMEDIATE_DELETES,
            partition -> LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.RETENTION_MS, "1000")), time);
        PartitionLog orders = manager.getOrCreate(ORDERS_0, LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "300", LogConfig.RETENTION_MS, "1000")));
        for (int i = 0; i < 10; i++) {
            orders.appendAsLeader(records(2), 0);
        }
        orders.updateHighWatermark(orders.logEndOffset());
        time.sleep(5_000);
        assertThat(manager.runRetention()).isPositive();
        assertThat(orders.numberOfSegments()).isEqualTo(1);
        manager.close();
    }

    @Test
    void theBackgroundCleanerCompactsCompactedTopics() throws InterruptedException {
        LogManagerConfig fastCleaner = new LogManagerConfig(300_000L, Long.MAX_VALUE, 60_000L, 0L,
            dev.borges.storage.producer.ProducerStateConfig.defaults(),
            dev.borges.storage.cleaner.CleanerConfig.of(Map.of("log.cleaner.backoff.ms", "10", "log.cleaner.dedupe.buffer.size", "65536")));
        LogManager manager = LogManager.open(logDir, fastCleaner, partition -> LogConfig.defaults(), time);
        LogConfig compacted = LogConfig.of(Map.of(LogConfig.CLEANUP_POLICY, "compact", LogConfig.SEGMENT_BYTES, "300"));
        PartitionLog log = manager.getOrCreate(ORDERS_0, compacted);
        for (int i = 0; i < 60; i++) {
            log.appendAsLeader(new RecordBatchBuilder(0L).append(NOW, ("key-" + (i % 3)).getBytes(), ("v" + i).getBytes()).build(), 0);
        }
        log.updateHighWatermark(log.logEndOffset());
        long sizeBefore = log.size();
        manager.startBackgroundTasks();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (log.size() >= sizeBefore / 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(log.size()).as("compacted in the background").isLessThan(sizeBefore / 2);
        manager.close();
    }

    /** Simulates the process dying: the lock goes away with it, nothing else happens. */
    private static void releaseWithoutClosing(LogManager manager) {
        try {
            var lockField = LogManager.class.getDeclaredField("lock");
            lockField.setAccessible(true);
            ((java.nio.channels.FileLock) lockField.get(manager)).release();
            var channelField = LogManager.class.getDeclaredField("lockChannel");
            channelField.setAccessible(true);
            ((java.nio.channels.FileChannel) channelField.get(manager)).close();
        } catch (ReflectiveOperationException | IOException e) {
            throw new AssertionError(e);
        }
    }
}
