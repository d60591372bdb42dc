package dev.borges.bench.storage;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.Time;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.LogStartState;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/** Batches and logs for the storage benchmarks. */
final class LogFixtures {
    /** One segment holds everything a benchmark writes: no roll (a roll fsyncs the closed segment). */
    static final int NO_ROLL = Integer.MAX_VALUE;

    private LogFixtures() {
    }

    /**
     * A producer batch of 1 KiB random (incompressible) values with short keys, uncompressed, as
     * close to {@code targetBytes} as whole records allow: 16 records (16,6xx bytes) for 16 KiB,
     * and just under 1 MiB for 1 MiB, so it fits the default {@code max.message.bytes}.
     */
    static MemoryRecords batch(int targetBytes) {
        Random random = new Random(42);
        long now = System.currentTimeMillis();
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        int records = targetBytes <= 64 * 1024 ? targetBytes / 1024 : (targetBytes - 2048) / 1040;
        for (int i = 0; i < records; i++) {
            byte[] value = new byte[1024];
            random.nextBytes(value);
            builder.append(now, ("key-" + i).getBytes(StandardCharsets.UTF_8), value);
        }
        return builder.build();
    }

    /** A new, empty log in {@code <root>/bench-0}, never flushed unless asked (or rolled). */
    /** Flushes segments that closed on a roll in the background, as the broker's log manager does. */
    private static final java.util.concurrent.ExecutorService BACKGROUND_FLUSHER = java.util.concurrent.Executors.newSingleThreadExecutor(
        runnable -> {
            Thread thread = new Thread(runnable, "bench-log-flusher");
            thread.setDaemon(true);
            return thread;
        });

    static PartitionLog open(Path root, int segmentBytes) {
        LogConfig config = LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes)));
        return PartitionLog.open(root.resolve("bench-0"), config, LogStartState.NEW, Time.SYSTEM, PartitionLog::deleteNow,
            dev.borges.storage.producer.ProducerStateConfig.defaults(), BACKGROUND_FLUSHER);
    }

    /** Where benchmark logs go: java.io.tmpdir (the disk dd measured), or {@code -Dbench.dir=...}. */
    static Path newRoot() {
        try {
            Path parent = Path.of(System.getProperty("bench.dir", System.getProperty("java.io.tmpdir")));
            return Files.createTempDirectory(parent, "borges-storage-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Empties the log without the fsync a close would do, closes it and removes its directory. */
    static void discard(PartitionLog log, Path root) {
        if (log != null) {
            log.truncateFullyAndStartAt(0); // deletes the segment files; dropped pages are never written back
            log.close();
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
