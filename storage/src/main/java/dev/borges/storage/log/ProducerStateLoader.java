package dev.borges.storage.log;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.producer.AppendOrigin;
import dev.borges.storage.producer.ProducerAppendInfo;
import dev.borges.storage.producer.ProducerStateManager;
import java.io.IOException;
import java.util.Optional;

/**
 * Brings a log's producer state in line with its segments after opening or truncation: the newest
 * snapshot at or below the log end is loaded, then every producer batch after it is replayed from
 * the segments. After a clean shutdown the snapshot sits at the log end and nothing is replayed;
 * after a crash, only the batches since the last roll are.
 * Runs under the log's append lock (or before the log is visible).
 */
final class ProducerStateLoader {
    private ProducerStateLoader() {
    }

    static void load(ProducerStateManager producerState, LogSegments segments, long logStartOffset, long logEndOffset, long nowMs)
        throws IOException {
        producerState.truncateAndReload(logStartOffset, logEndOffset, nowMs);
        long from = producerState.mapEndOffset();
        for (LogSegment segment : segments.all()) {
            long segmentEnd = segments.higher(segment.baseOffset()).map(LogSegment::baseOffset).orElse(Long.MAX_VALUE);
            if (segmentEnd <= from) {
                continue;
            }
            Optional<BatchHeader> first = segment.translateOffset(from);
            int position = first.map(BatchHeader::position).orElse(segment.size());
            RecordBatch batch;
            while ((batch = segment.log().readBatch(position)) != null) {
                if (batch.hasProducerId() && !batch.isControlBatch() && batch.baseOffset() >= from) {
                    ProducerAppendInfo info = producerState.prepareUpdate(batch.producerId(), AppendOrigin.LOG_RECOVERY);
                    info.append(batch, batch.baseOffset());
                    producerState.update(info);
                }
                position += batch.sizeInBytes();
            }
        }
        producerState.updateMapEndOffset(logEndOffset);
        // Replay cannot tell which producers had expired before: drop them again.
        producerState.removeExpiredProducers(nowMs);
    }
}
