package dev.borges.storage.log;

import dev.borges.storage.producer.CompletedTxn;
import java.util.Collection;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What holds one log's last stable offset (LSO) back, so that any thread can compute it without the
 * append lock. The LSO is the offset below which every transaction is decided for good: a
 * {@code read_committed} consumer reads up to it, and compaction never cleans past it.
 *
 * <pre>
 *   LSO = min(high watermark, max(log start, first unstable offset))
 *   first unstable offset = min(first offset of the earliest open transaction,
 *                               first offsets of completed transactions whose marker is not yet
 *                               below the high watermark)
 * </pre>
 * The second kind is Kafka's rule: a transaction is decided only once its marker is replicated, or a
 * new leader might not have the marker. With one replica the high watermark passes a marker as soon
 * as it is appended. The log start bounds it from below: retention or DeleteRecords may remove the
 * start of a transaction that is still open.
 *
 * <p>Lifecycle: one per {@link PartitionLog}; fed by it whenever producer state changes (appends,
 * loads, truncation) and whenever the high watermark moves. Threading: changes arrive under the log's
 * append lock, except {@link #highWatermarkMoved}; {@link #lastStableOffset} may run on any thread.
 */
final class LastStableOffsetTracker {
    private static final long NONE = Long.MAX_VALUE;

    /** First offset of the earliest open transaction, {@link #NONE} when none is open. */
    private volatile long firstOngoingOffset = NONE;
    /** Completed transactions whose marker may still be at or above the high watermark: marker offset to first offset. */
    private final ConcurrentSkipListMap<Long, Long> unreplicated = new ConcurrentSkipListMap<>();

    /** The producer state's open transactions changed; {@code firstOngoing} is the earliest's first offset. */
    void ongoingChanged(OptionalLong firstOngoing) {
        firstOngoingOffset = firstOngoing.orElse(NONE);
    }

    /**
     * A marker completed {@code txn}. Call before {@link #ongoingChanged} drops it from the open
     * ones, so the LSO never passes it before its marker is replicated.
     */
    void completed(CompletedTxn txn) {
        unreplicated.put(txn.lastOffset(), txn.firstOffset());
    }

    /** Forgets the completed transactions whose marker is now below the high watermark. */
    void highWatermarkMoved(long highWatermark) {
        unreplicated.headMap(highWatermark).clear();
    }

    /** Starts again from a reloaded producer state: its open transactions and the completions its replay saw. */
    void reset(OptionalLong firstOngoing, Collection<CompletedTxn> replayed, long highWatermark) {
        unreplicated.clear();
        for (CompletedTxn txn : replayed) {
            if (txn.lastOffset() >= highWatermark) {
                completed(txn);
            }
        }
        ongoingChanged(firstOngoing);
    }

    /** The LSO for a log with this start and high watermark. */
    long lastStableOffset(long logStartOffset, long highWatermark) {
        long firstUnstable = firstOngoingOffset;
        for (long first : unreplicated.tailMap(highWatermark, true).values()) {
            firstUnstable = Math.min(firstUnstable, first);
        }
        return Math.min(highWatermark, Math.max(logStartOffset, firstUnstable));
    }
}
