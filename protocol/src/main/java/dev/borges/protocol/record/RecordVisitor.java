package dev.borges.protocol.record;

/**
 * Receives what {@link RecordBatch#scanRecords} reads of each record: the fields a broker checks
 * before it stores a producer's batch, without the key, value and headers being copied or decoded.
 */
@FunctionalInterface
public interface RecordVisitor {

    /**
     * @param index     the record's position in its batch, from 0
     * @param offset    the batch's base offset plus the record's offset delta
     * @param timestamp the record's timestamp (the batch's max timestamp in a LogAppendTime batch)
     * @param hasKey    whether the key is present (not null)
     */
    void record(int index, long offset, long timestamp, boolean hasKey);
}
