package dev.borges.storage.log;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.producer.AppendOrigin;
import dev.borges.storage.producer.CompletedTxn;
import dev.borges.storage.producer.ProducerAppendInfo;
import dev.borges.storage.producer.ProducerStateManager;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Brings a log's producer state in line with its segments after opening or truncation: the newest
 * snapshot at or below the log end is loaded, then every producer batch after it (data and
 * transaction markers) is replayed from the segments. After a clean shutdown the snapshot sits at
 * the log end and nothing is replayed; after a crash, only the batches since the last roll are.
 *
 * <p>The replay also rebuilds the aborted-transaction indexes the log loader reset (those of the
 * segments it recovered): with {@code txnIndexRebuildFrom} the state is loaded from a snapshot at or
 * below that offset instead, and every ABORT marker replayed in a segment based at or after it is
 * indexed again, with the last stable offset the replayed state gives, exactly as when the marker
 * was first appended. Markers in earlier segments are already indexed and only replayed. A replay
 * that crosses into the active segment leaves a snapshot at its base, so that rebuild always has
 * one to start from.
 *
 * <p>Runs under the log's append lock (or before the log is visible).
 */
final class ProducerStateLoader {
    /** {@code txnIndexRebuildFrom} when no transaction index needs rebuilding. */
    static final long NO_REBUILD = Long.MAX_VALUE;

    private ProducerStateLoader() {
    }

    /**
     * Loads and replays; returns the transactions the replayed markers completed, in offset order.
     */
    static List<CompletedTxn> load(ProducerStateManager producerState, LogSegments segments, long logStartOffset, long logEndOffset,
                                   long nowMs, long txnIndexRebuildFrom) throws IOException {
        // Without a snapshot, replay from the first segment's start even when the log start lies inside
        // it (DeleteRecords): a transaction opened below the log start and aborted after it must still
        // be known, or its records above the log start would read as committed.
        long replayStart = Math.min(logStartOffset, segments.first().baseOffset());
        producerState.truncateAndReload(replayStart, logEndOffset, txnIndexRebuildFrom, nowMs);
        long from = producerState.mapEndOffset();
        List<CompletedTxn> completed = new ArrayList<>();
        LogSegment active = segments.active();
        for (LogSegment segment : segments.all()) {
            long segmentEnd = segments.higher(segment.baseOffset()).map(LogSegment::baseOffset).orElse(Long.MAX_VALUE);
            if (segmentEnd <= from) {
                continue;
            }
            if (segment == active && segment.baseOffset() > producerState.mapEndOffset()) {
                // Keep a snapshot where the active segment starts (a truncation may have removed it):
                // a later recovery of that segment rebuilds its transaction index from there.
                producerState.updateMapEndOffset(segment.baseOffset());
                producerState.takeSnapshot(offset -> segments.floor(offset).map(s -> s.baseOffset() == offset).orElse(false));
            }
            boolean rebuildIndex = segment.baseOffset() >= txnIndexRebuildFrom;
            Optional<BatchHeader> first = segment.translateOffset(from);
            int position = first.map(BatchHeader::position).orElse(segment.size());
            RecordBatch batch;
            while ((batch = segment.log().readBatch(position)) != null) {
                if (batch.hasProducerId() && batch.baseOffset() >= from) {
                    ProducerAppendInfo info = producerState.prepareUpdate(batch.producerId(), AppendOrigin.LOG_RECOVERY);
                    Optional<CompletedTxn> done = info.append(batch, batch.baseOffset());
                    if (done.isPresent()) {
                        if (rebuildIndex) {
                            segment.updateTxnIndex(done.get(), producerState.lastStableOffset(done.get()));
                        }
                        completed.add(done.get());
                    }
                    producerState.update(info);
                }
                position += batch.sizeInBytes();
            }
        }
        producerState.updateMapEndOffset(logEndOffset);
        // Replay cannot tell which producers had expired before: drop them again.
        producerState.removeExpiredProducers(nowMs);
        return completed;
    }
}
