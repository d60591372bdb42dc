package dev.borges.storage.cleaner;

import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.MockTime;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.FetchDataInfo;
import dev.borges.storage.log.FetchIsolation;
import dev.borges.storage.log.LogAppendInfo;
import dev.borges.storage.log.LogStartState;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A compacted partition log in a temporary directory with a clock the test moves, plus what the
 * cleaner tests need around it: keyed appends, reading everything back record by record (empty
 * batches included, as a consumer skips them), and copying the directory as a crash would leave it.
 */
final class CleanerTestContext {
    static final long NOW = 1_700_000_000_000L;
    static final String PARTITION_DIR = "orders-0";

    final Path root;
    final MockTime time = new MockTime(NOW);
    private final Map<String, String> topicConfig = new LinkedHashMap<>();

    /** One record as read back; {@code value} null for a tombstone. */
    record Entry(long offset, String key, String value) {
        @Override
        public String toString() {
            return offset + ":" + key + "=" + value;
        }
    }

    CleanerTestContext(Path root, Map<String, String> overrides) {
        this.root = root;
        topicConfig.put(LogConfig.CLEANUP_POLICY, LogConfig.CLEANUP_POLICY_COMPACT);
        topicConfig.put(LogConfig.MIN_CLEANABLE_DIRTY_RATIO, "0.01");
        topicConfig.put(LogConfig.SEGMENT_BYTES, "1024");
        topicConfig.putAll(overrides);
    }

    LogConfig config() {
        return LogConfig.of(topicConfig);
    }

    PartitionLog open() {
        return open(root.resolve(PARTITION_DIR), LogStartState.NEW);
    }

    PartitionLog open(Path partitionDir, LogStartState start) {
        return PartitionLog.open(partitionDir, config(), start, time, PartitionLog::deleteNow);
    }

    /** Reopens a directory as a broker restarting after a crash would: recovery from the given state. */
    PartitionLog reopenAfterCrash(Path partitionDir, PartitionLog crashed) {
        return open(partitionDir, new LogStartState(false, crashed.recoveryPoint(), crashed.logStartOffset(), crashed.highWatermark()));
    }

    /**
     * Appends one batch of records "key=value" (a value of null makes a tombstone), all stamped
     * with the current time, and returns the offset of the first.
     */
    long append(PartitionLog log, CompressionType compression, String... keysAndValues) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).compression(compression);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.append(time.milliseconds(), bytes(keysAndValues[i]), bytes(keysAndValues[i + 1]));
        }
        LogAppendInfo info = log.appendAsLeader(builder.build(), 0);
        return info.firstOffset();
    }

    long append(PartitionLog log, String... keysAndValues) {
        return append(log, CompressionType.NONE, keysAndValues);
    }

    /** Appends {@code count} single-record batches cycling over {@code keys} keys, values naming their round. */
    void appendRounds(PartitionLog log, int count, int keys) {
        for (int i = 0; i < count; i++) {
            append(log, "k" + (i % keys), "v" + i);
        }
    }

    /** Closes the active segment and makes everything committed: the whole log becomes cleanable. */
    static void rollAndCommit(PartitionLog log) {
        log.roll();
        log.updateHighWatermark(log.logEndOffset());
    }

    /** Every record from the log start to the log end, read through {@link PartitionLog#read} as a consumer would. */
    static List<Entry> readAll(PartitionLog log) {
        return readFrom(log, log.logStartOffset());
    }

    static List<Entry> readFrom(PartitionLog log, long from) {
        List<Entry> entries = new ArrayList<>();
        for (RecordBatch batch : batchesFrom(log, from)) {
            for (Record record : batch.records()) {
                if (record.offset() >= from) {
                    entries.add(new Entry(record.offset(), text(record.key()), text(record.value())));
                }
            }
        }
        return entries;
    }

    /**
     * Every stored batch from the one holding {@code from} to the log end, empty ones included. A
     * read that returns nothing ends the walk: after compaction the log may hold no record between
     * an offset and the log end (a consumer then waits there for new records).
     */
    static List<RecordBatch> batchesFrom(PartitionLog log, long from) {
        List<RecordBatch> batches = new ArrayList<>();
        long next = from;
        while (next < log.logEndOffset()) {
            FetchDataInfo info = log.read(next, 64 * 1024, FetchIsolation.LOG_END, true);
            ByteBuffer buffer = ByteBuffer.allocate(info.records().sizeInBytes());
            info.records().copyTo(buffer);
            long before = next;
            for (RecordBatch batch : MemoryRecords.readableView(buffer.flip()).completeBatches()) {
                if (batch.nextOffset() > next) {
                    batches.add(batch);
                    next = batch.nextOffset();
                }
            }
            if (next == before) {
                break; // nothing stored at or after this offset: compaction emptied the end of the log
            }
        }
        return batches;
    }

    static List<RecordBatch> batches(PartitionLog log) {
        return batchesFrom(log, log.logStartOffset());
    }

    /** The latest value per key, in key order of first appearance; tombstones as null values. */
    static Map<String, String> latestByKey(List<Entry> entries) {
        Map<String, String> latest = new LinkedHashMap<>();
        for (Entry entry : entries) {
            latest.put(entry.key(), entry.value());
        }
        return latest;
    }

    /**
     * What one pass over {@code before} should leave when it maps everything below {@code end}:
     * below it, only the last record of each key (there); from it on, everything.
     */
    static List<Entry> compacted(List<Entry> before, long end) {
        Map<String, Long> lastOffset = new LinkedHashMap<>();
        for (Entry entry : before) {
            if (entry.offset() < end) {
                lastOffset.put(entry.key(), entry.offset());
            }
        }
        return before.stream().filter(e -> e.offset() >= end || lastOffset.get(e.key()) == e.offset()).toList();
    }

    /** A copy of {@code partitionDir} under {@code targetRoot}: the files as a crash at this instant leaves them. */
    static Path copyDirectory(Path partitionDir, Path targetRoot) {
        Path target = targetRoot.resolve(partitionDir.getFileName());
        try (Stream<Path> files = Files.list(partitionDir)) {
            Files.createDirectories(target);
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Files.copy(file, target.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    static List<String> fileNames(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(String text) {
        return text == null ? null : text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        byte[] array = new byte[buffer.remaining()];
        buffer.duplicate().get(array);
        return new String(array, StandardCharsets.UTF_8);
    }
}
