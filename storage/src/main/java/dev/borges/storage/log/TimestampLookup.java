package dev.borges.storage.log;

/**
 * The special targets of a ListOffsets lookup, as Kafka defines them, and its answer.
 *
 * @param timestamp the record's timestamp, or -1 for the special targets that name no record
 * @param offset    the offset found
 */
public record TimestampLookup(long timestamp, long offset) {
    /** The offset after the last record (ListOffsets -1). */
    public static final long LATEST_TIMESTAMP = -1L;
    /** The log start offset (ListOffsets -2). */
    public static final long EARLIEST_TIMESTAMP = -2L;
    /** The record with the largest timestamp (ListOffsets -3, KIP-734). */
    public static final long MAX_TIMESTAMP = -3L;
    /** The first offset kept on local disk; without tiered storage, the log start (-4, KIP-405). */
    public static final long EARLIEST_LOCAL_TIMESTAMP = -4L;
}
