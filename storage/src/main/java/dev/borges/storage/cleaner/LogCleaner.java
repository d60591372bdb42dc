package dev.borges.storage.cleaner;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Log compaction for topics with {@code cleanup.policy=compact}: keeps the latest record of every
 * key, and removes tombstones {@code delete.retention.ms} after a pass first saw them, as Kafka's
 * log cleaner does. This is the storage module's entry point to it; the broker owns one instance
 * and either calls it from a {@link LogCleanerThread} or, in tests, directly.
 *
 * <p>Every call is one synchronous pass over at most one log, driven by the {@code nowMs} it is
 * given: which records are too young ({@code min.compaction.lag.ms}), overdue
 * ({@code max.compaction.lag.ms}) or expired tombstones is decided against it, never against a
 * clock of its own. Decisions are the {@link LogCleanerManager}'s, the algorithm is the
 * {@link Cleaner}'s, the checkpoints ({@code cleaner-offset-checkpoint} in each log directory) the
 * {@link CleanerCheckpoints}'.
 *
 * <p>Threading: thread-safe. Passes run one at a time (they share the offset map, whose memory is
 * {@code log.cleaner.dedupe.buffer.size}); appends, reads and retention on the logs go on meanwhile.
 */
public final class LogCleaner {
    private final CleanerConfig config;
    private final LogCleanerManager manager = new LogCleanerManager();
    private final SegmentSwapper swapper;
    private final Object passLock = new Object();
    /** Created by the first pass: a broker without compacted topics never pays for the offset map. */
    private Cleaner cleaner;

    /** A cleaner whose offset map takes {@code config.dedupeBufferSize()} bytes of heap, from its first pass on. */
    public LogCleaner(CleanerConfig config) {
        this(config, SegmentSwapper.PARTITION_LOG);
    }

    LogCleaner(CleanerConfig config, SegmentSwapper swapper) {
        this.config = config;
        this.swapper = swapper;
    }

    public CleanerConfig config() {
        return config;
    }

    /**
     * Cleans {@code log} if it needs it at {@code nowMs} (dirty ratio, compaction lags, tombstones
     * due), and moves its checkpoint.
     *
     * @return what the pass did; {@link CleanResult.Outcome#NOT_NEEDED} without touching the log if nothing was due
     * @throws StorageException if the pass failed; the log is then marked uncleanable
     */
    public CleanResult cleanIfNeeded(PartitionLog log, long nowMs) {
        LogCleanerManager.Grab grab = manager.grab(log, nowMs);
        if (grab.target().isEmpty()) {
            return CleanResult.nothing(log.topicPartition(), grab.reason(), grab.firstDirtyOffset());
        }
        return run(grab.target().get(), nowMs);
    }

    /**
     * Cleans the dirtiest of {@code logs} that needs it at {@code nowMs}; logs that are not
     * compacted are ignored.
     *
     * @return the pass, or empty if no log needed one
     * @throws StorageException if the pass failed; that log is then marked uncleanable and later calls skip it
     */
    public Optional<CleanResult> cleanDirtiest(Collection<PartitionLog> logs, long nowMs) {
        return manager.grabDirtiest(logs, nowMs).map(target -> run(target, nowMs));
    }

    /** The offset below which {@code log} has been compacted, if the cleaner has passed over it. */
    public OptionalLong checkpoint(PartitionLog log) {
        return manager.checkpoint(log);
    }

    /** The partitions skipped after a failed pass, with the error. */
    public Map<TopicPartition, String> uncleanablePartitions() {
        return manager.uncleanable();
    }

    /** The broker truncated {@code log} to {@code offset}: a checkpoint above it comes down. */
    public void onTruncated(PartitionLog log, long offset) {
        manager.truncated(log, offset);
    }

    /** The broker deleted {@code log}'s partition: its checkpoint and state go. */
    public void onDeleted(PartitionLog log) {
        manager.deleted(log);
    }

    private CleanResult run(LogToClean target, long nowMs) {
        PartitionLog log = target.log();
        CleanResult result;
        try {
            synchronized (passLock) {
                if (cleaner == null) {
                    cleaner = new Cleaner(new OffsetMap(config.dedupeBufferSize(), config.dedupeBufferLoadFactor()), swapper);
                }
                result = cleaner.clean(target, nowMs);
            }
        } catch (IOException e) {
            manager.failed(log, e);
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Cleaning " + log.topicPartition() + " failed: " + e, e);
        } catch (RuntimeException | Error e) {
            manager.failed(log, e);
            throw e;
        }
        manager.done(log, result);
        return result;
    }
}
