package dev.borges.storage.log;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.EndTransactionMarker;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.TimestampType;
import dev.borges.storage.StorageException;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.LeaderEpochCheckpointFile;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.epoch.EpochEndOffset;
import dev.borges.storage.epoch.LeaderEpochCache;
import dev.borges.storage.index.AbortedTxn;
import dev.borges.storage.producer.AppendOrigin;
import dev.borges.storage.producer.BatchMetadata;
import dev.borges.storage.producer.CompletedTxn;
import dev.borges.storage.producer.ProducerAppendInfo;
import dev.borges.storage.producer.ProducerStateConfig;
import dev.borges.storage.producer.ProducerStateEntry;
import dev.borges.storage.producer.ProducerStateManager;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One partition's log on disk: a directory {@code <topic>-<partition>} of segments, appended to at
 * the end and read from anywhere, with the offsets the broker needs around it:
 *
 * <pre>
 *  log start offset     recovery point     last stable offset    high watermark         log end offset
 *        | (retention,       | (flushed      | (read_committed      | (readable by          | (next offset)
 *        |  DeleteRecords)   |  up to)       |  reads up to)        |  consumers)           |
 *  [seg 0 ......][seg 1000 ........][seg 2000 (active) ..........................................]
 * </pre>
 *
 * <p>Appends assign offsets by writing them into the batches in place (bytes stay bytes) and go
 * to the active segment, which rolls on {@code segment.bytes}, {@code segment.ms} or a full index.
 * Reads return file slices for zero-copy sends. Retention deletes whole inactive segments.
 *
 * <p>Transactions (KIP-98): transactional batches open a transaction for their producer, and the
 * transaction coordinator ends it with a COMMIT or ABORT marker ({@link #appendTxnMarker}). The
 * last stable offset ({@link #lastStableOffset()}, {@link LastStableOffsetTracker}) stops before
 * the first undecided transaction; aborted transactions are indexed in the segment holding their
 * marker ({@code .txnindex}), and a {@link FetchIsolation#TXN_COMMITTED} read returns those
 * overlapping what it read.
 *
 * <p>Threading: appends, rolls, truncation, retention and flushes take the append lock; reads take
 * no lock and see a consistent prefix of the log (offsets and segment map are published after the
 * bytes are written). An I/O error takes the log offline: every later call fails with
 * {@code KAFKA_STORAGE_ERROR}, and what was acknowledged before stays on disk.
 */
public final class PartitionLog implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionLog.class);

    private final Path dir;
    private final TopicPartition topicPartition;
    private final Time time;
    private final Consumer<LogSegment> segmentDeleter;
    private final java.util.concurrent.Executor backgroundFlusher;
    private final ReentrantLock lock = new ReentrantLock();
    private final LogSegments segments;
    private final LeaderEpochCache leaderEpochs;
    private final ProducerStateManager producerState;
    private final LastStableOffsetTracker stableOffsets = new LastStableOffsetTracker();

    private volatile LogConfig config;
    private volatile LogOffsetMetadata logEndOffset;
    private volatile LogOffsetMetadata highWatermark;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile boolean offline;
    /** Set by {@link #close}: a background flush that comes late has nothing left to do. */
    private volatile boolean closed;
    /** The last stable offset with its position, when last resolved for a read below the high watermark. */
    private volatile LogOffsetMetadata lastStableOffsetMetadata = LogOffsetMetadata.offsetOnly(-1L);
    private long unflushedRecords;
    private long lastFlushMs;

    private PartitionLog(Path dir, TopicPartition topicPartition, LogConfig config, Time time, LogSegments segments,
                         LeaderEpochCache leaderEpochs, ProducerStateManager producerState, long logStartOffset, long recoveryPoint,
                         Consumer<LogSegment> segmentDeleter, java.util.concurrent.Executor backgroundFlusher) throws IOException {
        this.dir = dir;
        this.backgroundFlusher = backgroundFlusher;
        this.leaderEpochs = leaderEpochs;
        this.producerState = producerState;
        this.topicPartition = topicPartition;
        this.config = config;
        this.time = time;
        this.segments = segments;
        this.segmentDeleter = segmentDeleter;
        LogSegment active = segments.active();
        this.logEndOffset = new LogOffsetMetadata(active.readNextOffset(), active.baseOffset(), active.size());
        this.logStartOffset = Math.max(logStartOffset, segments.first().baseOffset());
        this.recoveryPoint = Math.min(recoveryPoint, logEndOffset.offset());
        this.highWatermark = LogOffsetMetadata.offsetOnly(this.logStartOffset);
        this.lastFlushMs = time.milliseconds();
        // Epochs the checkpoint remembers beyond what survived on disk, or below the log start, are gone.
        leaderEpochs.truncateFromEnd(logEndOffset.offset());
        leaderEpochs.truncateFromStart(this.logStartOffset);
    }

    /**
     * Opens (or creates) the log in {@code dir}, recovering it if the broker did not shut down
     * cleanly. Offsets come from the log directory's checkpoint files.
     *
     * @param segmentDeleter removes the files of a segment retention dropped; the broker delays this by
     *                       {@code file.delete.delay.ms} so in-flight reads of it can finish
     */
    public static PartitionLog open(Path dir, LogConfig config, LogStartState start, Time time, Consumer<LogSegment> segmentDeleter) {
        return open(dir, config, start, time, segmentDeleter, ProducerStateConfig.defaults(), Runnable::run);
    }

    /**
     * As above, with the broker's producer-state settings ({@code producer.id.expiration.ms}) and
     * the executor that flushes closed segments after a roll, so appends do not wait for the fsync.
     */
    public static PartitionLog open(Path dir, LogConfig config, LogStartState start, Time time, Consumer<LogSegment> segmentDeleter,
                                    ProducerStateConfig producerStateConfig, java.util.concurrent.Executor backgroundFlusher) {
        TopicPartition topicPartition = TopicPartition.fromDirectoryName(dir.getFileName().toString());
        try {
            LogLoader loader = new LogLoader(dir, config, time.milliseconds());
            java.nio.file.Files.createDirectories(dir);
            LeaderEpochCache leaderEpochs = LeaderEpochCache.open(topicPartition, LeaderEpochCheckpointFile.inPartitionDirectory(dir));
            LogSegments segments = loader.load(start.cleanShutdown(), start.recoveryPoint(), start.logStartOffset(), batch -> {
                if (batch.partitionLeaderEpoch() >= 0) {
                    leaderEpochs.assign(batch.partitionLeaderEpoch(), batch.baseOffset());
                }
            });
            ProducerStateManager producerState = new ProducerStateManager(topicPartition, dir, producerStateConfig);
            PartitionLog log = new PartitionLog(dir, topicPartition, config, time, segments, leaderEpochs, producerState,
                start.logStartOffset(),
                start.cleanShutdown() ? Long.MAX_VALUE : start.recoveryPoint(), segmentDeleter, backgroundFlusher);
            if (start.logStartOffset() > log.logEndOffset()) {
                // The log start had moved past what survived a crash: nothing below it may be read again.
                LOG.warn("{}: the log start offset {} is beyond the recovered log end {}; starting the log again there",
                    topicPartition, start.logStartOffset(), log.logEndOffset());
                log.truncateFullyAndStartAt(start.logStartOffset());
            } else {
                List<CompletedTxn> replayed = ProducerStateLoader.load(producerState, segments, log.logStartOffset, log.logEndOffset(),
                    time.milliseconds(), loader.txnIndexRebuildFrom());
                log.stableOffsets.reset(producerState.firstUnstableOffset(), replayed, log.logStartOffset);
            }
            log.updateHighWatermark(start.highWatermark());
            LOG.info("Opened {} with offsets {}-{} in {} segments", topicPartition, log.logStartOffset, log.logEndOffset(),
                segments.size());
            return log;
        } catch (IOException e) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Cannot open the log of " + topicPartition + " in " + dir + ": " + e, e);
        }
    }

    /** Deletes a dropped segment's files at once: for tests and tools. */
    public static void deleteNow(LogSegment segment) {
        try {
            segment.deleteIfExists();
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", segment.log().file(), e.toString());
        }
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public LogConfig config() {
        return config;
    }

    /** Applies a topic configuration change; takes effect from the next append, roll or retention run. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset.offset();
    }

    public long highWatermark() {
        return highWatermark.offset();
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    public boolean isOffline() {
        return offline;
    }

    /** Bytes on disk across all segments. */
    public long size() {
        return segments.totalSize();
    }

    public int numberOfSegments() {
        return segments.size();
    }

    // ---- append -------------------------------------------------------------------------------

    /**
     * Appends a producer's batches: validates them (nothing is written if any fails), assigns
     * offsets and the leader epoch in place, stamps the append time on LogAppendTime topics, and
     * writes them to the active segment, rolling it first if needed.
     *
     * @throws StorageException with the Kafka error for the producer
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch) {
        return appendAsLeader(records, leaderEpoch, AppendOrigin.CLIENT);
    }

    /**
     * {@link #appendAsLeader(MemoryRecords, int)} for a batch of {@code origin}: a client's batches
     * are checked for retries and sequence numbers; a coordinator's (the group coordinator's
     * transactional offset commits, KIP-98) only for the producer epoch and the transaction rules,
     * as it carries no sequence of the client's.
     *
     * @param origin {@link AppendOrigin#CLIENT} or {@link AppendOrigin#COORDINATOR}
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, int leaderEpoch, AppendOrigin origin) {
        if (origin != AppendOrigin.CLIENT && origin != AppendOrigin.COORDINATOR) {
            throw new IllegalArgumentException("A leader appends batches of clients or coordinators, not " + origin);
        }
        long nowMs = time.milliseconds();
        List<RecordBatch> batches = AppendValidator.validateFromClient(records, config, nowMs);
        lock.lock();
        try {
            checkOnline();
            boolean logAppendTime = config.logAppendTime();
            Optional<BatchMetadata> duplicate = origin == AppendOrigin.CLIENT ? findDuplicate(batches) : Optional.empty();
            if (duplicate.isPresent()) {
                BatchMetadata original = duplicate.get();
                return new LogAppendInfo(original.firstOffset(), original.lastOffset(),
                    logAppendTime ? original.maxTimestamp() : RecordBatch.NO_TIMESTAMP, logStartOffset, 0, true);
            }
            long firstOffset = logEndOffset.offset();
            long nextOffset = firstOffset;
            int recordCount = 0;
            for (RecordBatch batch : batches) {
                batch.setBaseOffset(nextOffset);
                batch.setPartitionLeaderEpoch(leaderEpoch);
                if (logAppendTime) {
                    batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
                }
                nextOffset = batch.lastOffset() + 1;
                recordCount += batch.recordCount();
            }
            Map<Long, ProducerAppendInfo> producerUpdates = validateProducers(batches, origin);
            writeToActiveSegment(records, batches, nextOffset - 1, nowMs);
            leaderEpochs.assign(leaderEpoch, firstOffset);
            for (ProducerAppendInfo update : producerUpdates.values()) {
                producerState.update(update);
            }
            producerState.updateMapEndOffset(nextOffset);
            stableOffsets.ongoingChanged(producerState.firstUnstableOffset());
            unflushedRecords += recordCount;
            if (unflushedRecords >= config.flushMessages()) {
                flush(logEndOffset.offset());
            }
            return new LogAppendInfo(firstOffset, nextOffset - 1, logAppendTime ? nowMs : RecordBatch.NO_TIMESTAMP,
                logStartOffset, recordCount, false);
        } finally {
            lock.unlock();
        }
    }

    /** An idempotent producer's retry of a batch already in the log: answered with the original offsets. */
    private Optional<BatchMetadata> findDuplicate(List<RecordBatch> batches) {
        for (RecordBatch batch : batches) {
            if (batch.hasProducerId()) {
                Optional<BatchMetadata> duplicate = producerState.findDuplicateBatch(batch);
                if (duplicate.isPresent()) {
                    return duplicate;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Checks each producer's sequence numbers and epoch before anything is written; throws
     * {@code OUT_OF_ORDER_SEQUENCE_NUMBER} or {@code INVALID_PRODUCER_EPOCH}, changing nothing.
     */
    private Map<Long, ProducerAppendInfo> validateProducers(List<RecordBatch> batches, AppendOrigin origin) {
        Map<Long, ProducerAppendInfo> updates = new LinkedHashMap<>();
        for (RecordBatch batch : batches) {
            if (batch.hasProducerId()) {
                updates.computeIfAbsent(batch.producerId(), id -> producerState.prepareUpdate(id, origin))
                    .append(batch, batch.baseOffset());
            }
        }
        return updates;
    }

    /**
     * Writes the marker that ends {@code producerId}'s transaction on this partition, as the leader,
     * for the transaction coordinator of {@code coordinatorEpoch}: a control batch holding one
     * COMMIT or ABORT record. It goes through the producer-state rules of a marker (see
     * {@code ProducerAppendInfo}); an ABORT that ends a transaction with data here is indexed in the
     * active segment's {@code .txnindex}. The last stable offset moves past the transaction once the
     * high watermark passes the marker.
     *
     * @param result {@link ControlRecordType#COMMIT} or {@link ControlRecordType#ABORT}
     * @throws StorageException {@code INVALID_PRODUCER_EPOCH} for an epoch below the producer's,
     *     {@code TRANSACTION_COORDINATOR_FENCED} for a coordinator epoch below the last marker's;
     *     nothing is written then
     */
    public LogAppendInfo appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch, ControlRecordType result,
                                         int leaderEpoch) {
        long nowMs = time.milliseconds();
        MemoryRecords records = new EndTransactionMarker(result, coordinatorEpoch).toBatch(0L, nowMs, producerId, producerEpoch,
            leaderEpoch);
        RecordBatch marker = records.batches().iterator().next();
        lock.lock();
        try {
            checkOnline();
            boolean logAppendTime = config.logAppendTime();
            long offset = logEndOffset.offset();
            marker.setBaseOffset(offset);
            if (logAppendTime) {
                marker.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, nowMs);
            }
            ProducerAppendInfo update = producerState.prepareUpdate(producerId, AppendOrigin.COORDINATOR);
            Optional<CompletedTxn> completed = update.append(marker, offset);
            writeToActiveSegment(records, List.of(marker), offset, nowMs);
            leaderEpochs.assign(leaderEpoch, offset);
            if (completed.isPresent()) {
                try {
                    segments.active().updateTxnIndex(completed.get(), producerState.lastStableOffset(completed.get()));
                } catch (IOException e) {
                    throw goOffline("index an aborted transaction of", e);
                }
                stableOffsets.completed(completed.get());
            }
            producerState.update(update);
            producerState.updateMapEndOffset(offset + 1);
            stableOffsets.ongoingChanged(producerState.firstUnstableOffset());
            unflushedRecords++;
            if (unflushedRecords >= config.flushMessages()) {
                flush(logEndOffset.offset());
            }
            return new LogAppendInfo(offset, offset, logAppendTime ? nowMs : RecordBatch.NO_TIMESTAMP, logStartOffset, 1, false);
        } finally {
            lock.unlock();
        }
    }

    /** Idempotent producers with state in this partition (DescribeProducers). */
    public Map<Long, ProducerStateEntry> activeProducers() {
        return producerState.activeProducers();
    }

    /** Forgets producers idle for longer than {@code producer.id.expiration.ms}. */
    public void removeExpiredProducers() {
        lock.lock();
        try {
            producerState.removeExpiredProducers(time.milliseconds());
        } finally {
            lock.unlock();
        }
    }

    private void writeToActiveSegment(MemoryRecords records, List<RecordBatch> batches, long lastOffset, long nowMs) {
        try {
            LogSegment active = segments.active();
            // A compacted topic's active segment must close within max.compaction.lag.ms, or its records could never be cleaned.
            long segmentMs = config.compact() ? Math.min(config.segmentMs(), config.maxCompactionLagMs()) : config.segmentMs();
            if (active.shouldRoll(config.segmentBytes(), segmentMs, records.sizeInBytes(), lastOffset, nowMs)) {
                active = roll(nowMs);
            }
            try {
                active.append(lastOffset, records, batches);
            } catch (RuntimeException e) {
                // Bytes may have reached the file without offsets being published: never serve them.
                throw goOffline("append to", new IOException("append failed after writing: " + e, e));
            }
            logEndOffset = new LogOffsetMetadata(lastOffset + 1, active.baseOffset(), active.size());
        } catch (IOException e) {
            throw goOffline("append to", e);
        }
    }

    /** Closes the active segment (flushing it) and starts a new one at the log end offset. */
    public LogSegment roll() {
        lock.lock();
        try {
            checkOnline();
            return roll(time.milliseconds());
        } catch (IOException e) {
            throw goOffline("roll", e);
        } finally {
            lock.unlock();
        }
    }

    private LogSegment roll(long nowMs) throws IOException {
        LogSegment previous = segments.active();
        long newBase = logEndOffset.offset();
        if (previous.baseOffset() == newBase && previous.size() == 0) {
            return previous; // nothing to close: already an empty segment at the log end
        }
        LogSegment next = LogSegment.open(dir, newBase, config.segmentIndexBytes(), config.indexIntervalBytes(),
            SegmentJitter.random(config.segmentJitterMs()), nowMs, "");
        previous.onBecomeInactive();
        segments.add(next);
        logEndOffset = new LogOffsetMetadata(newBase, newBase, 0);
        backgroundFlusher.execute(() -> flush(newBase)); // closed segments are flushed on roll, off the append path
        producerState.updateMapEndOffset(newBase);
        producerState.takeSnapshot(this::isSegmentBase); // so recovery after a crash replays at most the active segment
        return next;
    }

    /** Whether a segment starts at {@code offset}: its producer snapshot lives as long as it does. */
    private boolean isSegmentBase(long offset) {
        return segments.floor(offset).map(segment -> segment.baseOffset() == offset).orElse(false);
    }

    // ---- read ---------------------------------------------------------------------------------

    /**
     * Reads from the batch holding {@code startOffset}, at most {@code maxBytes} (but a whole first
     * batch with {@code minOneBatch}), up to the log end, the high watermark or the last stable
     * offset. A {@link FetchIsolation#TXN_COMMITTED} read also returns the aborted transactions
     * overlapping the offsets it read, so the consumer can drop their records.
     *
     * @throws StorageException {@code OFFSET_OUT_OF_RANGE} if the offset is below the log start or beyond the log end
     */
    public FetchDataInfo read(long startOffset, int maxBytes, FetchIsolation isolation, boolean minOneBatch) {
        checkOnline();
        LogOffsetMetadata end = switch (isolation) {
            case LOG_END -> logEndOffset;
            case HIGH_WATERMARK -> highWatermarkMetadata();
            case TXN_COMMITTED -> lastStableOffsetMetadata();
        };
        long start = logStartOffset;
        if (startOffset < start || startOffset > logEndOffset.offset()) {
            throw new StorageException(Errors.OFFSET_OUT_OF_RANGE, "Offset " + startOffset + " is outside the log of "
                + topicPartition + ", which holds " + start + "-" + logEndOffset.offset());
        }
        boolean withAborted = isolation == FetchIsolation.TXN_COMMITTED;
        if (startOffset >= end.offset()) {
            return FetchDataInfo.empty(LogOffsetMetadata.offsetOnly(startOffset), withAborted);
        }
        try {
            Optional<LogSegment> segment = segments.floor(startOffset);
            while (segment.isPresent()) {
                LogSegment current = segment.get();
                if (current.baseOffset() > end.segmentBaseOffset()) {
                    break;
                }
                int maxPosition = current.baseOffset() == end.segmentBaseOffset() ? end.position() : current.size();
                FetchDataInfo info = current.read(startOffset, maxBytes, maxPosition, minOneBatch);
                if (info != null) {
                    return withAborted ? AbortedTransactions.forRead(segments, current, info, startOffset, logEndOffset.offset()) : info;
                }
                segment = segments.higher(current.baseOffset());
            }
            return FetchDataInfo.empty(LogOffsetMetadata.offsetOnly(startOffset), withAborted);
        } catch (IOException e) {
            throw goOffline("read from", e);
        }
    }

    /**
     * The aborted transactions overlapping {@code [fetchOffset, upperBoundOffset)}, in marker order
     * ({@link AbortedTransactions#collect}): what a {@code read_committed} consumer must drop there, or
     * what the cleaner must remove.
     */
    public List<AbortedTxn> collectAbortedTransactions(long fetchOffset, long upperBoundOffset) {
        try {
            LogSegment first = segments.floor(fetchOffset).orElse(segments.first());
            return AbortedTransactions.collect(segments, first, fetchOffset, upperBoundOffset);
        } catch (IOException e) {
            throw goOffline("read the transaction index of", e);
        }
    }

    /**
     * ListOffsets: the earliest or latest offset, the record with the largest timestamp, or the first
     * record whose timestamp is at least {@code targetTimestamp}; empty if no record is that late.
     */
    public Optional<TimestampLookup> offsetForTimestamp(long targetTimestamp) {
        checkOnline();
        long start = logStartOffset;
        if (targetTimestamp == TimestampLookup.EARLIEST_TIMESTAMP || targetTimestamp == TimestampLookup.EARLIEST_LOCAL_TIMESTAMP) {
            return Optional.of(new TimestampLookup(RecordBatch.NO_TIMESTAMP, start));
        }
        if (targetTimestamp == TimestampLookup.LATEST_TIMESTAMP) {
            return Optional.of(new TimestampLookup(RecordBatch.NO_TIMESTAMP, logEndOffset()));
        }
        try {
            return TimestampSearch.find(segments, targetTimestamp, start);
        } catch (IOException e) {
            throw goOffline("search", e);
        }
    }

    /** The leader epoch in which {@code offset} was written, if the cache knows it (ListOffsets). */
    public OptionalInt leaderEpochForOffset(long offset) {
        return leaderEpochs.epochForOffset(offset);
    }

    public OptionalInt latestLeaderEpoch() {
        return leaderEpochs.latestEpoch();
    }

    /**
     * OffsetForLeaderEpoch: the largest epoch at most {@code epoch} and the offset where the next
     * epoch began (the log end for the latest), so a follower knows where its log diverged.
     */
    public EpochEndOffset endOffsetForEpoch(int epoch) {
        return leaderEpochs.endOffsetFor(epoch, logEndOffset());
    }

    // ---- high watermark, log start, retention ---------------------------------------------------

    /** Moves the high watermark, kept between the log start and the log end. */
    public void updateHighWatermark(long offset) {
        long bounded = Math.min(Math.max(offset, logStartOffset), logEndOffset.offset());
        LogOffsetMetadata end = logEndOffset;
        highWatermark = bounded == end.offset() ? end : LogOffsetMetadata.offsetOnly(bounded);
        stableOffsets.highWatermarkMoved(bounded);
    }

    /**
     * The last stable offset: below it every transaction is decided (committed or aborted) and its
     * marker replicated; {@code read_committed} consumers read up to it. At most the high watermark.
     */
    public long lastStableOffset() {
        return stableOffsets.lastStableOffset(logStartOffset, highWatermark());
    }

    /** The last stable offset with its position, for a read bounded by it. */
    private LogOffsetMetadata lastStableOffsetMetadata() {
        LogOffsetMetadata highWatermarkNow = highWatermarkMetadata();
        long stable = stableOffsets.lastStableOffset(logStartOffset, highWatermarkNow.offset());
        if (stable == highWatermarkNow.offset()) {
            return highWatermarkNow;
        }
        LogOffsetMetadata cached = lastStableOffsetMetadata;
        if (cached.offset() == stable) {
            return cached;
        }
        LogOffsetMetadata resolved = resolve(stable);
        lastStableOffsetMetadata = resolved;
        return resolved;
    }

    /** {@code offset} with the segment and position of the batch holding it, or of the log end. */
    private LogOffsetMetadata resolve(long offset) {
        try {
            Optional<LogSegment> segment = segments.floor(offset);
            Optional<BatchHeader> batch = segment.isPresent() ? segment.get().translateOffset(offset) : Optional.empty();
            return batch.isPresent()
                ? new LogOffsetMetadata(offset, segment.get().baseOffset(), batch.get().position())
                : logEndOffset.offset() == offset ? logEndOffset : LogOffsetMetadata.offsetOnly(offset);
        } catch (IOException e) {
            throw goOffline("search", e);
        }
    }

    /** The high watermark with its position in the log, looked up once when first needed. */
    private LogOffsetMetadata highWatermarkMetadata() {
        LogOffsetMetadata current = highWatermark;
        if (current.positionKnown()) {
            return current;
        }
        LogOffsetMetadata resolved = resolve(current.offset());
        if (resolved.positionKnown() && highWatermark.offset() == current.offset()) {
            highWatermark = resolved;
        }
        return resolved;
    }

    /**
     * DeleteRecords: records below {@code newStartOffset} become unreadable at once, and whole
     * segments below it are deleted.
     *
     * @throws StorageException {@code OFFSET_OUT_OF_RANGE} beyond the high watermark
     */
    public void advanceLogStartOffset(long newStartOffset) {
        lock.lock();
        try {
            checkOnline();
            if (newStartOffset > highWatermark()) {
                throw new StorageException(Errors.OFFSET_OUT_OF_RANGE, "Cannot delete records of " + topicPartition
                    + " up to " + newStartOffset + ", beyond the high watermark " + highWatermark());
            }
            if (newStartOffset > logStartOffset) {
                logStartOffset = newStartOffset;
                leaderEpochs.truncateFromStart(newStartOffset);
                deleteSegments(RetentionRules.belowLogStart(segments, newStartOffset), "the log start offset moved to " + newStartOffset);
                // Snapshots stay from the first segment's base on, not only from the log start: a recovery
                // rebuilding that segment's transaction index starts from the one at its base.
                producerState.onLogStartOffsetIncremented(segments.first().baseOffset());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Retention: deletes inactive segments entirely older than {@code retention.ms}, beyond
     * {@code retention.bytes}, or below the log start offset. Never the active segment, and only
     * segments entirely below the high watermark.
     *
     * @return the number of segments deleted
     */
    public int deleteOldSegments() {
        lock.lock();
        try {
            checkOnline();
            long nowMs = time.milliseconds();
            List<LogSegment> deletable = RetentionRules.deletable(segments, config, logStartOffset, highWatermark(), nowMs);
            deleteSegments(deletable, "retention");
            return deletable.size();
        } finally {
            lock.unlock();
        }
    }

    private void deleteSegments(List<LogSegment> doomed, String reason) {
        if (doomed.isEmpty()) {
            return;
        }
        try {
            for (LogSegment segment : doomed) {
                segments.remove(segment.baseOffset());
                segment.changeFileSuffixes("", LogSegment.DELETED_SUFFIX);
                LOG.info("Deleting segment {} of {} ({})", segment.baseOffset(), topicPartition, reason);
                segmentDeleter.accept(segment);
            }
            logStartOffset = Math.max(logStartOffset, segments.first().baseOffset());
            leaderEpochs.truncateFromStart(logStartOffset);
            producerState.onLogStartOffsetIncremented(segments.first().baseOffset());
        } catch (IOException e) {
            throw goOffline("delete segments of", e);
        }
    }

    // ---- compaction hooks -----------------------------------------------------------------------

    /** The segments that take no more appends, oldest first: what compaction may rewrite. */
    public List<LogSegment> inactiveSegments() {
        return segments.inactive();
    }

    /** Where the log's active segment starts: nothing at or above it may be compacted. */
    public long activeSegmentBaseOffset() {
        return segments.active().baseOffset();
    }

    /**
     * Swaps a compacted segment in for the segments it was made from, crash-safely
     * ({@link SegmentSwap}). Returns false, changing nothing, if any old segment is no longer in the
     * log (retention or truncation removed it meanwhile); the caller then discards its
     * {@code .cleaned} segment.
     *
     * @param cleaned a segment written with the {@code .cleaned} suffix, based at the first old segment's base offset
     * @throws IllegalArgumentException if {@code cleaned} ends before the last old segment begins
     */
    public boolean replaceSegments(LogSegment cleaned, List<LogSegment> oldSegments) {
        lock.lock();
        try {
            checkOnline();
            return SegmentSwap.replace(segments, cleaned, oldSegments, segmentDeleter);
        } catch (IOException e) {
            throw goOffline("swap compacted segments into", e);
        } finally {
            lock.unlock();
        }
    }

    // ---- flush, truncation, close ---------------------------------------------------------------

    /**
     * Forces everything below {@code offset} to disk and moves the recovery point there. The fsyncs
     * run without the append lock, so appends go on meanwhile; a segment deleted while it was being
     * flushed is simply skipped.
     */
    public void flush(long offset) {
        long from = recoveryPoint;
        if (offset <= from || offline || closed) {
            return;
        }
        for (LogSegment segment : List.copyOf(segments.all())) {
            long segmentEnd = segments.higher(segment.baseOffset()).map(LogSegment::baseOffset).orElse(Long.MAX_VALUE);
            if (segmentEnd > from && segment.baseOffset() < offset) {
                try {
                    segment.flush();
                } catch (IOException e) {
                    if (!closed && segments.floor(segment.baseOffset()).orElse(null) == segment) {
                        throw goOffline("flush", e);
                    }
                    return; // closed or deleted meanwhile: close() flushed what mattered
                }
            }
        }
        lock.lock();
        try {
            if (offset > recoveryPoint) {
                recoveryPoint = Math.min(offset, logEndOffset.offset());
                unflushedRecords = 0;
                lastFlushMs = time.milliseconds();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code flush.ms}: flushes if the last flush is older than that. Called periodically. */
    public void flushIfDue() {
        if (time.milliseconds() - lastFlushMs >= config.flushMs() && logEndOffset.offset() > recoveryPoint) {
            flush(logEndOffset.offset());
        }
    }

    /**
     * Removes every batch from the one holding {@code offset} on, for a follower whose log diverged
     * from its leader's. Offsets are batch boundaries in that use.
     */
    public void truncateTo(long offset) {
        lock.lock();
        try {
            checkOnline();
            if (offset >= logEndOffset.offset()) {
                return;
            }
            if (offset < segments.first().baseOffset()) {
                truncateFullyAndStartAt(offset); // nothing below the target is left on disk
                return;
            }
            logStartOffset = Math.min(logStartOffset, offset);
            for (LogSegment segment : List.copyOf(segments.from(offset))) {
                if (segment.baseOffset() >= offset && segment.baseOffset() != segments.first().baseOffset()) {
                    segments.remove(segment.baseOffset());
                    segment.deleteIfExists();
                }
            }
            LogSegment active = segments.active();
            active.truncateTo(offset);
            active.onBecomeActive(config.segmentIndexBytes());
            logEndOffset = new LogOffsetMetadata(active.readNextOffset(), active.baseOffset(), active.size());
            recoveryPoint = Math.min(recoveryPoint, logEndOffset.offset());
            leaderEpochs.truncateFromEnd(logEndOffset.offset());
            List<CompletedTxn> replayed = ProducerStateLoader.load(producerState, segments, logStartOffset, logEndOffset.offset(),
                time.milliseconds(), ProducerStateLoader.NO_REBUILD);
            // Always set again: a high watermark at the new log end may still carry the position of a deleted segment.
            updateHighWatermark(Math.min(highWatermark(), logEndOffset.offset()));
            lastStableOffsetMetadata = LogOffsetMetadata.offsetOnly(-1L);
            stableOffsets.reset(producerState.firstUnstableOffset(), replayed, highWatermark());
        } catch (IOException e) {
            throw goOffline("truncate", e);
        } finally {
            lock.unlock();
        }
    }

    /** Empties the log and starts it again at {@code offset} (a follower far behind its leader). */
    public void truncateFullyAndStartAt(long offset) {
        lock.lock();
        try {
            checkOnline();
            for (LogSegment segment : List.copyOf(segments.all())) {
                segments.remove(segment.baseOffset());
                segment.deleteIfExists();
            }
            LogSegment fresh = LogSegment.open(dir, offset, config.segmentIndexBytes(), config.indexIntervalBytes(),
                SegmentJitter.random(config.segmentJitterMs()), time.milliseconds(), "");
            segments.add(fresh);
            logEndOffset = new LogOffsetMetadata(offset, offset, 0);
            logStartOffset = offset;
            recoveryPoint = offset;
            highWatermark = logEndOffset;
            leaderEpochs.clearAndFlush();
            producerState.truncateFullyAndStartAt(offset);
            lastStableOffsetMetadata = LogOffsetMetadata.offsetOnly(-1L);
            stableOffsets.reset(producerState.firstUnstableOffset(), List.of(), offset);
        } catch (IOException e) {
            throw goOffline("truncate", e);
        } finally {
            lock.unlock();
        }
    }

    /** Flushes everything and closes the files; a log closed this way needs no recovery. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!offline) {
                flush(logEndOffset.offset());
                producerState.takeSnapshot(this::isSegmentBase); // at the log end: a clean restart replays nothing
            }
            closed = true;
            for (LogSegment segment : segments.all()) {
                segment.close();
            }
        } catch (IOException e) {
            throw goOffline("close", e);
        } finally {
            lock.unlock();
        }
    }

    private void checkOnline() {
        if (offline) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "The log of " + topicPartition + " in " + dir
                + " is offline after an I/O error");
        }
    }

    private StorageException goOffline(String action, IOException cause) {
        offline = true;
        LOG.error("Cannot {} the log of {} in {}; taking it offline", action, topicPartition, dir, cause);
        return new StorageException(Errors.KAFKA_STORAGE_ERROR, "Cannot " + action + " the log of " + topicPartition + ": " + cause,
            cause);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", " + logStartOffset + "-" + logEndOffset() + ")";
    }
}
