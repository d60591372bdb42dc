package dev.borges.storage.producer;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.TopicPartition;
import java.nio.file.Path;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of every idempotent and transactional producer writing to one partition, which lets the
 * partition log reject out-of-order and fenced writes, answer retries with their original offsets
 * and know which transactions are open (where the last stable offset stops), and the snapshots that
 * let that state survive a restart. One per partition log, created with it.
 *
 * <p>The state is a cache of the log (DESIGN principle 2): it is exactly what replaying the log's
 * producer batches, in order, gives. It covers the log up to {@link #mapEndOffset()} (exclusive).
 * The log keeps it there:
 * <pre>
 * leader append (per producer batch)        recovery / truncation
 * ----------------------------------        ---------------------
 * findDuplicateBatch(batch)                  truncateAndReload(logStart, logEnd, now)
 *   present: answer its offsets, stop          -&gt; state of the newest snapshot &lt;= logEnd
 * info = prepareUpdate(pid, CLIENT)          for each batch from mapEndOffset() to logEnd:
 * info.append(batch, firstOffset)  (throws)    info = prepareUpdate(pid, LOG_RECOVERY)
 * ... write the bytes ...                      info.append(batch, batch.baseOffset())
 *   (a marker returns the CompletedTxn:       (same; the log indexes aborted ones
 *    index it if aborted, with                 again only in the segments it recovered)
 *    lastStableOffset(completed))
 * update(info)                                 update(info)
 * updateMapEndOffset(logEndOffset)           updateMapEndOffset(logEnd)
 *                                            removeExpiredProducers(now)
 * </pre>
 * (Replay cannot tell which producers expired before the crash, hence the last step.)
 * A follower does the leader's steps with {@link AppendOrigin#REPLICATION} and no duplicate check.
 * {@link #takeSnapshot(LongPredicate)} on segment roll and clean shutdown bounds the replay after a restart.
 *
 * <p>Producers are kept until {@value ProducerStateConfig#PRODUCER_ID_EXPIRATION_MS} after their
 * last timestamp ({@link #removeExpiredProducers}), also when retention deletes their batches: as
 * in Kafka since KIP-360, so a producer keeps its duplicate detection while it is alive. A producer
 * with an open transaction never expires.
 *
 * <p>Transactions (KIP-98): a producer's first transactional batch opens its transaction on this
 * partition and the COMMIT or ABORT marker the coordinator writes closes it (rules in
 * {@link ProducerAppendInfo}). The open transactions, ordered by first offset, are kept beside the
 * producers; {@link #firstUnstableOffset()} is the first of them. A crash leaves them as the log
 * says: a snapshot records each producer's open transaction, and replay opens and closes the rest.
 *
 * <p>Threading: not thread-safe; every method is called under the partition log's append lock,
 * except {@link #activeProducers()}, which any thread may call (for DescribeProducers).
 */
public final class ProducerStateManager {
    /**
     * Snapshots kept after taking one, besides those {@link #takeSnapshot(LongPredicate)} is asked to
     * keep (the partition log keeps one per segment base): the newest few, such as a clean
     * shutdown's; an older state is rebuilt from an older snapshot or the log start.
     */
    public static final int RETAINED_SNAPSHOTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(ProducerStateManager.class);

    private final TopicPartition topicPartition;
    private final ProducerStateConfig config;
    private final ProducerSnapshotFiles snapshots;
    // Concurrent only so activeProducers() can be read off the append lock; entries are immutable.
    private final Map<Long, ProducerStateEntry> producers = new ConcurrentHashMap<>();
    /**
     * The open transactions, first offset to producer id, in offset order (two cannot start at the
     * same offset): the first is where the last stable offset stops. Always the transactions of
     * {@link #producers}, kept in step by every method that changes them.
     */
    private final TreeMap<Long, Long> ongoingTxns = new TreeMap<>();
    private long mapEndOffset;

    /**
     * A manager with no producers at offset 0, aware of the snapshots in {@code partitionDirectory};
     * call {@link #truncateAndReload} to load them.
     */
    public ProducerStateManager(TopicPartition topicPartition, Path partitionDirectory, ProducerStateConfig config) {
        this.topicPartition = topicPartition;
        this.config = config;
        this.snapshots = new ProducerSnapshotFiles(topicPartition, partitionDirectory);
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public ProducerStateConfig config() {
        return config;
    }

    /** The offset below which every batch is reflected in the state: where replay resumes. */
    public long mapEndOffset() {
        return mapEndOffset;
    }

    /**
     * The original of a client batch that repeats one of its producer's last batches in the same
     * epoch with the same sequences: a retry whose response was lost. Answer it with the original's
     * offsets and write nothing. Empty for a new batch or one without a producer id.
     */
    public Optional<BatchMetadata> findDuplicateBatch(RecordBatch batch) {
        if (!batch.hasProducerId()) {
            return Optional.empty();
        }
        ProducerStateEntry entry = producers.get(batch.producerId());
        return entry == null ? Optional.empty()
            : entry.findDuplicate(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
    }

    /** Starts validating an append of {@code producerId}'s batches against its current state. */
    public ProducerAppendInfo prepareUpdate(long producerId, AppendOrigin origin) {
        if (producerId == RecordBatch.NO_PRODUCER_ID) {
            throw new IllegalArgumentException("Batches without a producer id have no producer state");
        }
        ProducerStateEntry current = producers.get(producerId);
        return new ProducerAppendInfo(topicPartition, producerId,
            current != null ? current : ProducerStateEntry.empty(producerId), origin);
    }

    /**
     * Makes an append's state current, once its batches are written.
     *
     * @throws IllegalStateException if the producer's state changed since {@link #prepareUpdate}, or
     *     the batches lie below {@link #mapEndOffset()} (already reflected)
     */
    public void update(ProducerAppendInfo info) {
        if (!info.hasAppended()) {
            return;
        }
        long producerId = info.producerId();
        ProducerStateEntry current = producers.getOrDefault(producerId, ProducerStateEntry.empty(producerId));
        if (!current.equals(info.initialEntry())) {
            throw new IllegalStateException("State of producer " + producerId + " in " + topicPartition
                + " changed between prepareUpdate and update: " + info);
        }
        if (info.firstAppendedOffset() < mapEndOffset) {
            throw new IllegalStateException("Batch of producer " + producerId + " at offset " + info.firstAppendedOffset()
                + " is below the map end offset " + mapEndOffset + " of " + topicPartition);
        }
        ProducerStateEntry next = info.toEntry();
        current.currentTxnFirstOffset().ifPresent(ongoingTxns::remove);
        next.currentTxnFirstOffset().ifPresent(first -> ongoingTxns.put(first, producerId));
        producers.put(producerId, next);
    }

    /**
     * The first offset of the earliest open transaction: nothing at or after it is stable (it may
     * still be aborted). Empty when no transaction is open.
     */
    public OptionalLong firstUnstableOffset() {
        return ongoingTxns.isEmpty() ? OptionalLong.empty() : OptionalLong.of(ongoingTxns.firstKey());
    }

    /** The open transactions, first offset to producer id, in offset order; a copy. */
    public NavigableMap<Long, Long> ongoingTransactions() {
        return new TreeMap<>(ongoingTxns);
    }

    /**
     * The last stable offset right after {@code completed} ends: the first offset of the earliest
     * transaction still open once it is closed, or the offset after its marker if none is. This is
     * what the aborted-transaction index records with an aborted transaction, so a reader scanning
     * the index knows when no earlier-starting transaction can follow. Valid before or after the
     * {@link #update} that completes it.
     */
    public long lastStableOffset(CompletedTxn completed) {
        for (Map.Entry<Long, Long> open : ongoingTxns.entrySet()) {
            if (open.getValue() != completed.producerId()) {
                return open.getKey();
            }
        }
        return completed.lastOffset() + 1;
    }

    /** Records that the state now reflects the log up to {@code offset} (exclusive): the log end offset. */
    public void updateMapEndOffset(long offset) {
        if (offset < mapEndOffset) {
            throw new IllegalArgumentException("Map end offset of " + topicPartition + " cannot go back from "
                + mapEndOffset + " to " + offset + "; truncate with truncateAndReload");
        }
        mapEndOffset = offset;
    }

    /** The state of {@code producerId}, if it has any here. */
    public Optional<ProducerStateEntry> lastEntry(long producerId) {
        return Optional.ofNullable(producers.get(producerId));
    }

    /**
     * A read-only copy of every producer's state, by producer id (for DescribeProducers). Safe from
     * any thread: each entry is whole, though producers changed concurrently may show either state.
     */
    public Map<Long, ProducerStateEntry> activeProducers() {
        return Map.copyOf(producers);
    }

    public int producerCount() {
        return producers.size();
    }

    /** Forgets producers idle for {@value ProducerStateConfig#PRODUCER_ID_EXPIRATION_MS} or longer. */
    public void removeExpiredProducers(long nowMs) {
        // A producer with an open transaction never expires, so the open transactions stay as they are.
        producers.values().removeIf(entry -> entry.isExpired(nowMs, config.producerIdExpirationMs()));
    }

    /**
     * Writes a snapshot of the state at {@link #mapEndOffset()}, unless one is already there (the
     * state at an offset is a function of the log below it), then keeps the newest {@value
     * #RETAINED_SNAPSHOTS}. For a manager used on its own; the partition log keeps more with
     * {@link #takeSnapshot(LongPredicate)}.
     */
    public void takeSnapshot() {
        takeSnapshot(offset -> false);
    }

    /**
     * As {@link #takeSnapshot()}, also keeping every older snapshot for which {@code keep} holds. The
     * partition log keeps the snapshot at each segment's base for as long as the segment lives (as
     * Kafka long did): a truncation or a recovery anywhere in the log then has a snapshot at or
     * below it, so the producers' open transactions survive even once retention deleted where they
     * began.
     */
    public void takeSnapshot(LongPredicate keep) {
        if (!snapshots.contains(mapEndOffset)) {
            snapshots.write(mapEndOffset, producers.values());
            LOG.debug("Wrote producer snapshot of {} at offset {} with {} producers", topicPartition, mapEndOffset, producers.size());
        }
        snapshots.retainNewest(RETAINED_SNAPSHOTS, keep);
    }

    /**
     * Brings the state in line with a log that now spans {@code logStartOffset} to {@code
     * logEndOffset}: at load, or after truncating the log's tail. Deletes snapshots above the end and
     * below the start; unless the state is already at {@code logEndOffset}, replaces it with the
     * newest valid snapshot at or below it (corrupt ones are deleted and skipped), without producers
     * expired at {@code nowMs}, and leaves {@link #mapEndOffset()} at that snapshot's offset, or at
     * {@code logStartOffset} with no producers if none is left. The log then replays from there.
     */
    public void truncateAndReload(long logStartOffset, long logEndOffset, long nowMs) {
        truncateAndReload(logStartOffset, logEndOffset, logEndOffset, nowMs);
    }

    /**
     * As {@link #truncateAndReload(long, long, long)}, but the state loaded is that of the newest
     * snapshot at or below {@code loadAtOrBelow}, so the log replays from there: log recovery does
     * this to rebuild the aborted-transaction indexes of the segments it recovered, from the first
     * of them on. Snapshots between that offset and the log end stay.
     */
    public void truncateAndReload(long logStartOffset, long logEndOffset, long loadAtOrBelow, long nowMs) {
        if (logStartOffset < 0 || logEndOffset < logStartOffset) {
            throw new IllegalArgumentException("Invalid log range " + logStartOffset + ".." + logEndOffset
                + " for " + topicPartition);
        }
        snapshots.deleteAbove(logEndOffset);
        snapshots.deleteBelow(logStartOffset);
        if (logEndOffset == mapEndOffset && loadAtOrBelow >= logEndOffset) {
            // The state in memory already reflects exactly this log: nothing to reload.
            onLogStartOffsetIncremented(logStartOffset);
            return;
        }
        producers.clear();
        ongoingTxns.clear();
        Optional<ProducerSnapshotFiles.Snapshot> snapshot = snapshots.readNewestValidAtOrBelow(Math.min(loadAtOrBelow, logEndOffset));
        if (snapshot.isEmpty()) {
            mapEndOffset = logStartOffset;
            return;
        }
        for (ProducerStateEntry entry : snapshot.get().producers()) {
            if (!entry.isExpired(nowMs, config.producerIdExpirationMs())) {
                producers.put(entry.producerId(), entry);
                entry.currentTxnFirstOffset().ifPresent(first -> ongoingTxns.put(first, entry.producerId()));
            }
        }
        mapEndOffset = snapshot.get().offset();
        LOG.info("Loaded {} producers of {} from the snapshot at offset {}", producers.size(), topicPartition, mapEndOffset);
    }

    /** Forgets every producer and snapshot, as when the log is emptied, and continues at {@code offset}. */
    public void truncateFullyAndStartAt(long offset) {
        producers.clear();
        ongoingTxns.clear();
        snapshots.deleteAll();
        mapEndOffset = offset;
    }

    /**
     * The log's start moved up (retention, DeleteRecords): snapshots below it are deleted, and the
     * state moves up to it if it was behind. Producers stay until they expire, as in Kafka since
     * KIP-360: dropping one whose batches are gone would only cost it its duplicate detection.
     */
    public void onLogStartOffsetIncremented(long logStartOffset) {
        snapshots.deleteBelow(logStartOffset);
        if (mapEndOffset < logStartOffset) {
            mapEndOffset = logStartOffset;
        }
    }

    /** Deletes the snapshots below {@code offset}, for a log that needs none that old. */
    public void deleteSnapshotsBefore(long offset) {
        snapshots.deleteBelow(offset);
    }

    /** Offsets of the snapshots on disk, ascending; a read-only view. */
    public NavigableSet<Long> snapshotOffsets() {
        return snapshots.offsets();
    }

    public OptionalLong latestSnapshotOffset() {
        return snapshots.latestOffset();
    }

    public OptionalLong oldestSnapshotOffset() {
        return snapshots.oldestOffset();
    }
}
