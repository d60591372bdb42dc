package dev.borges.storage.log;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Records;

/**
 * The result of a read: where it started and the bytes to send. The records are whole batches,
 * except that the last one may be cut by the byte limit (clients ignore a partial last batch);
 * {@code firstEntryIncomplete} says even the first did not fit.
 */
public record FetchDataInfo(LogOffsetMetadata fetchOffsetMetadata, Records records, boolean firstEntryIncomplete) {

    public static FetchDataInfo empty(LogOffsetMetadata at) {
        return new FetchDataInfo(at, MemoryRecords.EMPTY, false);
    }
}
