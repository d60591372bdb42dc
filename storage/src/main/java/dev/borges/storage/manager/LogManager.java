package dev.borges.storage.manager;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.OffsetCheckpointFile;
import dev.borges.storage.cleaner.LogCleaner;
import dev.borges.storage.cleaner.LogCleanerThread;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.LogStartState;
import dev.borges.storage.log.PartitionLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partition logs of one log directory ({@code log.dirs}), and what Kafka keeps beside them:
 *
 * <pre>
 * log dir/
 *   .lock                              held while a broker uses the directory
 *   .kafka_cleanshutdown               present only after a clean shutdown: no recovery needed
 *   recovery-point-offset-checkpoint   per partition: everything below was flushed
 *   log-start-offset-checkpoint        per partition: the log start offset
 *   replication-offset-checkpoint      per partition: the high watermark
 *   &lt;topic&gt;-&lt;partition&gt;/            one PartitionLog each
 *   &lt;topic&gt;-&lt;partition&gt;.&lt;id&gt;-delete/  a deleted partition, removed in the background
 * </pre>
 *
 * <p>Lifecycle: {@link #open} takes the lock, removes the clean-shutdown marker (so a crash from now
 * on is noticed), and opens every partition, recovering them if the marker was missing;
 * {@link #startBackgroundTasks} schedules retention, flushes, checkpoints and delayed file deletion;
 * {@link #close} flushes and closes every log, writes the checkpoints and the marker.
 *
 * <p>Threading: thread-safe; logs are created and removed under this object's lock, and each log
 * guards itself.
 */
public final class LogManager implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(LogManager.class);
    public static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";
    public static final String LOCK_FILE = ".lock";
    private static final String DELETE_DIR_SUFFIX = "-delete";

    private final Path logDir;
    private final Time time;
    private final LogManagerConfig settings;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Map<TopicPartition, PartitionLog> logs = new ConcurrentHashMap<>();
    private final OffsetCheckpointFile recoveryPoints;
    private final OffsetCheckpointFile logStartOffsets;
    private final OffsetCheckpointFile highWatermarks;
    private final ScheduledExecutorService scheduler;
    private final LogCleaner cleaner;
    private LogCleanerThread cleanerThread;

    private LogManager(Path logDir, Time time, LogManagerConfig settings, FileChannel lockChannel, FileLock lock) {
        this.logDir = logDir;
        this.time = time;
        this.settings = settings;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.recoveryPoints = OffsetCheckpointFile.recoveryPoints(logDir);
        this.logStartOffsets = OffsetCheckpointFile.logStartOffsets(logDir);
        this.highWatermarks = OffsetCheckpointFile.highWatermarks(logDir);
        this.cleaner = new LogCleaner(settings.cleaner());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "log-manager-" + logDir.getFileName());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the log directory and every partition in it.
     *
     * @param configs the configuration of each partition's topic
     * @throws StorageException {@code KAFKA_STORAGE_ERROR} if the directory cannot be used or another process holds it
     */
    public static LogManager open(Path logDir, LogManagerConfig settings, Function<TopicPartition, LogConfig> configs, Time time) {
        FileChannel lockChannel = null;
        try {
            Files.createDirectories(logDir);
            lockChannel = FileChannel.open(logDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = lockChannel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException e) {
                lock = null; // held by this very process: another broker embedded in the same JVM
            }
            if (lock == null) {
                throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Log directory " + logDir
                    + " is in use by another process (its " + LOCK_FILE + " file is locked)");
            }
            LogManager manager = new LogManager(logDir, time, settings, lockChannel, lock);
            manager.loadLogs(configs);
            return manager;
        } catch (IOException e) {
            closeQuietly(lockChannel);
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Cannot open log directory " + logDir + ": " + e, e);
        } catch (RuntimeException e) {
            closeQuietly(lockChannel);
            throw e;
        }
    }

    private void loadLogs(Function<TopicPartition, LogConfig> configs) throws IOException {
        Path marker = logDir.resolve(CLEAN_SHUTDOWN_FILE);
        boolean cleanShutdown = Files.exists(marker);
        Map<TopicPartition, Long> recovery = recoveryPoints.read();
        Map<TopicPartition, Long> starts = logStartOffsets.read();
        Map<TopicPartition, Long> watermarks = highWatermarks.read();
        long startNs = time.nanoseconds();
        for (Path dir : partitionDirectories()) {
            String name = dir.getFileName().toString();
            if (name.endsWith(DELETE_DIR_SUFFIX)) {
                deleteDirectory(dir);
                continue;
            }
            TopicPartition partition = TopicPartition.fromDirectoryName(name);
            LogStartState start = new LogStartState(cleanShutdown, recovery.getOrDefault(partition, 0L),
                starts.getOrDefault(partition, 0L), watermarks.getOrDefault(partition, 0L));
            logs.put(partition, PartitionLog.open(dir, configs.apply(partition), start, time, this::deleteSegmentLater,
                settings.producerState(), this::runInBackground));
        }
        // From here on a crash must be noticed at the next start.
        Files.deleteIfExists(marker);
        LOG.info("Loaded {} partition logs from {} in {} ms ({})", logs.size(), logDir,
            (time.nanoseconds() - startNs) / 1_000_000, cleanShutdown ? "after a clean shutdown" : "with recovery");
    }

    public Path logDir() {
        return logDir;
    }

    public Optional<PartitionLog> log(TopicPartition partition) {
        return Optional.ofNullable(logs.get(partition));
    }

    public Collection<PartitionLog> logs() {
        return logs.values();
    }

    /** Compaction of this directory's compacted topics; the broker tells it about truncations. */
    public LogCleaner cleaner() {
        return cleaner;
    }

    /** The partition's log, created empty with {@code config} if it does not exist. */
    public synchronized PartitionLog getOrCreate(TopicPartition partition, LogConfig config) {
        PartitionLog existing = logs.get(partition);
        if (existing != null) {
            return existing;
        }
        PartitionLog created = PartitionLog.open(logDir.resolve(partition.directoryName()), config, LogStartState.NEW, time,
            this::deleteSegmentLater, settings.producerState(), this::runInBackground);
        logs.put(partition, created);
        return created;
    }

    /**
     * Removes a partition's log: the directory is renamed at once (so a restart does not bring the
     * partition back) and deleted in the background after {@code file.delete.delay.ms}.
     */
    public synchronized void delete(TopicPartition partition) {
        PartitionLog log = logs.remove(partition);
        if (log == null) {
            return;
        }
        cleaner.onDeleted(log);
        log.close();
        Path doomed = logDir.resolve(partition.directoryName() + "." + UUID.randomUUID().toString().replace("-", "") + DELETE_DIR_SUFFIX);
        try {
            Files.move(log.dir(), doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Cannot delete the log of " + partition + ": " + e, e);
        }
        schedule(() -> deleteDirectory(doomed), log.config().fileDeleteDelayMs());
        checkpoint();
    }

    /** Runs retention on every log, and forgets idle producers; returns the number of segments deleted. */
    public int runRetention() {
        int deleted = 0;
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline()) {
                deleted += log.deleteOldSegments();
                log.removeExpiredProducers();
            }
        }
        return deleted;
    }

    /** Flushes every log whose {@code flush.ms} has passed. */
    public void flushDueLogs() {
        for (PartitionLog log : logs.values()) {
            if (!log.isOffline()) {
                log.flushIfDue();
            }
        }
    }

    /** Writes the recovery points, log start offsets and high watermarks of every log. */
    public synchronized void checkpoint() {
        Map<TopicPartition, Long> recovery = new HashMap<>();
        Map<TopicPartition, Long> starts = new HashMap<>();
        Map<TopicPartition, Long> watermarks = new HashMap<>();
        for (PartitionLog log : logs.values()) {
            recovery.put(log.topicPartition(), log.recoveryPoint());
            starts.put(log.topicPartition(), log.logStartOffset());
            watermarks.put(log.topicPartition(), log.highWatermark());
        }
        recoveryPoints.write(recovery);
        logStartOffsets.write(starts);
        highWatermarks.write(watermarks);
    }

    /** Schedules retention, flushes and checkpoints at the configured intervals, and starts the log cleaner. */
    public synchronized void startBackgroundTasks() {
        scheduleRepeated(this::runRetention, settings.retentionCheckIntervalMs());
        scheduleRepeated(this::flushDueLogs, settings.flushSchedulerIntervalMs());
        scheduleRepeated(this::checkpoint, settings.checkpointIntervalMs());
        if (settings.cleaner().enabled() && cleanerThread == null) {
            cleanerThread = new LogCleanerThread(cleaner, logs::values, time);
            cleanerThread.start();
        }
    }

    /** Flushes and closes every log, writes the checkpoints and the clean-shutdown marker, releases the directory. */
    @Override
    public synchronized void close() {
        if (cleanerThread != null) {
            cleanerThread.close();
        }
        scheduler.shutdownNow();
        boolean clean = true;
        for (PartitionLog log : logs.values()) {
            try {
                log.close();
            } catch (StorageException e) {
                clean = false;
                LOG.error("Could not close {} cleanly: {}", log.topicPartition(), e.getMessage());
            }
            clean &= !log.isOffline();
        }
        try {
            checkpoint();
            if (clean) {
                Files.write(logDir.resolve(CLEAN_SHUTDOWN_FILE), new byte[0]);
            }
        } catch (IOException | StorageException e) {
            LOG.error("Could not finish the clean shutdown of {}: {}", logDir, e.toString());
        } finally {
            try {
                lock.release();
            } catch (IOException e) {
                LOG.warn("Could not release the lock on {}", logDir);
            }
            closeQuietly(lockChannel);
        }
    }

    private void deleteSegmentLater(LogSegment segment) {
        schedule(() -> PartitionLog.deleteNow(segment), settings.fileDeleteDelayMs());
    }

    /** Work taken off the append path (flushing a segment that just closed); inline once shutting down. */
    private void runInBackground(Runnable task) {
        try {
            scheduler.execute(() -> runLogged(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    private void schedule(Runnable task, long delayMs) {
        if (delayMs <= 0 || scheduler.isShutdown()) {
            task.run();
            return;
        }
        scheduler.schedule(() -> runLogged(task), delayMs, TimeUnit.MILLISECONDS);
    }

    private void scheduleRepeated(Runnable task, long intervalMs) {
        if (intervalMs > 0 && intervalMs < Long.MAX_VALUE) {
            scheduler.scheduleWithFixedDelay(() -> runLogged(task), intervalMs, intervalMs, TimeUnit.MILLISECONDS);
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("Background log task failed", e);
        }
    }

    private java.util.List<Path> partitionDirectories() throws IOException {
        try (Stream<Path> entries = Files.list(logDir)) {
            return entries.filter(Files::isDirectory).filter(dir -> dir.getFileName().toString().contains("-")).sorted().toList();
        }
    }

    private static void deleteDirectory(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Could not delete {}: {}", dir, e.toString());
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // already failing; the original error is what matters
            }
        }
    }
}
