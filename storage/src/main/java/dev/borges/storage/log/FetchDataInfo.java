package dev.borges.storage.log;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Records;
import dev.borges.storage.index.AbortedTxn;
import java.util.List;
import java.util.Optional;

/**
 * The result of a read: where it started and the bytes to send. The records are whole batches,
 * except that the last one may be cut by the byte limit (clients ignore a partial last batch);
 * {@code firstEntryIncomplete} says even the first did not fit.
 *
 * @param abortedTransactions for a {@link FetchIsolation#TXN_COMMITTED} read, the aborted
 *     transactions overlapping the records returned (possibly none); empty for other reads
 */
public record FetchDataInfo(LogOffsetMetadata fetchOffsetMetadata, Records records, boolean firstEntryIncomplete,
                            Optional<List<AbortedTxn>> abortedTransactions) {

    public FetchDataInfo {
        abortedTransactions = abortedTransactions.map(List::copyOf);
    }

    public FetchDataInfo(LogOffsetMetadata fetchOffsetMetadata, Records records, boolean firstEntryIncomplete) {
        this(fetchOffsetMetadata, records, firstEntryIncomplete, Optional.empty());
    }

    public static FetchDataInfo empty(LogOffsetMetadata at) {
        return new FetchDataInfo(at, MemoryRecords.EMPTY, false);
    }

    /** Nothing read; with {@code withAbortedTransactions}, an empty list of aborted transactions. */
    static FetchDataInfo empty(LogOffsetMetadata at, boolean withAbortedTransactions) {
        return new FetchDataInfo(at, MemoryRecords.EMPTY, false, withAbortedTransactions ? Optional.of(List.of()) : Optional.empty());
    }

    /** This read with these aborted transactions. */
    FetchDataInfo withAbortedTransactions(List<AbortedTxn> aborted) {
        return new FetchDataInfo(fetchOffsetMetadata, records, firstEntryIncomplete, Optional.of(aborted));
    }
}
