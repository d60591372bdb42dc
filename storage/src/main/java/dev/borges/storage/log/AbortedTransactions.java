package dev.borges.storage.log;

import dev.borges.storage.index.AbortedTxn;
import dev.borges.storage.index.TxnIndexSearchResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Looks up aborted transactions in a log's segments, for {@code read_committed} fetches and the
 * cleaner. Each segment's {@code .txnindex} holds the transactions whose ABORT marker it contains,
 * so the transactions overlapping a range are found from the segment holding the range's start on
 * (a marker is never in an earlier segment than its transaction's records), until an entry's last
 * stable offset shows that every transaction starting before the range's end had ended by then.
 *
 * <p>Stateless; reads segments concurrently with appends (indexes publish whole entries).
 */
final class AbortedTransactions {
    private AbortedTransactions() {
    }

    /**
     * The aborted transactions overlapping {@code [fetchOffset, upperBoundOffset)}: those whose marker
     * is at or after {@code fetchOffset} and whose first offset is below {@code upperBoundOffset}, in
     * marker order, scanning from {@code from}.
     */
    static List<AbortedTxn> collect(LogSegments segments, LogSegment from, long fetchOffset, long upperBoundOffset) throws IOException {
        List<AbortedTxn> aborted = new ArrayList<>();
        Optional<LogSegment> segment = Optional.of(from);
        while (segment.isPresent()) {
            TxnIndexSearchResult found = segment.get().collectAbortedTxns(fetchOffset, upperBoundOffset);
            aborted.addAll(found.abortedTransactions());
            if (found.isComplete()) {
                break;
            }
            segment = segments.higher(segment.get().baseOffset());
        }
        return aborted;
    }

    /**
     * {@code info}, read from {@code segment} at {@code startOffset}, with the aborted transactions
     * overlapping what it holds: up to a bound above every offset read (the offset index's next
     * entry, else the next segment's base, else the log end), as Kafka bounds it.
     */
    static FetchDataInfo forRead(LogSegments segments, LogSegment segment, FetchDataInfo info, long startOffset, long logEndOffset)
        throws IOException {
        int size = info.records().sizeInBytes();
        if (size == 0) {
            return info.withAbortedTransactions(List.of());
        }
        long upperBound = segment.fetchUpperBoundOffset(info.fetchOffsetMetadata().position(), size)
            .orElseGet(() -> segments.higher(segment.baseOffset()).map(LogSegment::baseOffset).orElse(logEndOffset));
        return info.withAbortedTransactions(collect(segments, segment, startOffset, upperBound));
    }
}
