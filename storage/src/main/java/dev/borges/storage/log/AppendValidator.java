package dev.borges.storage.log;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.Errors;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordIterator;
import dev.borges.protocol.record.TimestampType;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks batches from a producer before anything is written, reading only batch headers: a whole
 * batch sequence that fails any check is refused with the Kafka error the producer should see,
 * and nothing of it is stored. Records are decoded only where a topic feature needs it: a
 * compacted topic must see a key on every record.
 *
 * <ul>
 *   <li>structure: whole batches, magic 2, lengths that fit ({@code CORRUPT_MESSAGE})</li>
 *   <li>the CRC of every batch ({@code CORRUPT_MESSAGE})</li>
 *   <li>each batch within {@code max.message.bytes} ({@code MESSAGE_TOO_LARGE}), all together
 *       within {@code segment.bytes} ({@code RECORD_LIST_TOO_LARGE})</li>
 *   <li>records with offsets 0..n-1 inside each batch, at least one record, and no control
 *       batches from clients ({@code INVALID_RECORD})</li>
 *   <li>CreateTime timestamps within {@code message.timestamp.before/after.max.ms} of now
 *       ({@code INVALID_TIMESTAMP})</li>
 * </ul>
 */
final class AppendValidator {
    private AppendValidator() {
    }

    /** Validates producer batches and returns them, in order, as views over {@code records}. */
    static List<RecordBatch> validateFromClient(MemoryRecords records, LogConfig config, long nowMs) {
        if (records.sizeInBytes() > config.segmentBytes()) {
            throw new StorageException(Errors.RECORD_LIST_TOO_LARGE, "Produced " + records.sizeInBytes()
                + " bytes of batches, more than segment.bytes=" + config.segmentBytes());
        }
        List<RecordBatch> batches = new ArrayList<>();
        try {
            for (RecordBatch batch : records.batches()) {
                validateBatch(batch, config, nowMs);
                batches.add(batch);
            }
        } catch (CorruptRecordException e) {
            throw new StorageException(Errors.CORRUPT_MESSAGE, e.getMessage(), e);
        }
        if (batches.isEmpty()) {
            throw new StorageException(Errors.CORRUPT_MESSAGE, "Produce request carries no record batch");
        }
        return batches;
    }

    private static void validateBatch(RecordBatch batch, LogConfig config, long nowMs) {
        if (batch.sizeInBytes() > config.maxMessageBytes()) {
            throw new StorageException(Errors.MESSAGE_TOO_LARGE, "Batch of " + batch.sizeInBytes()
                + " bytes is larger than max.message.bytes=" + config.maxMessageBytes());
        }
        batch.ensureValid();
        if (batch.isControlBatch()) {
            throw new StorageException(Errors.INVALID_RECORD, "Producers may not write control batches");
        }
        if (batch.recordCount() <= 0 || batch.lastOffsetDelta() != batch.recordCount() - 1) {
            throw new StorageException(Errors.INVALID_RECORD, "Batch has " + batch.recordCount()
                + " records but last offset delta " + batch.lastOffsetDelta() + "; offsets inside a batch must run 0..n-1");
        }
        if (batch.timestampType() == TimestampType.CREATE_TIME) {
            checkTimestamp(batch.maxTimestamp(), config, nowMs);
            checkTimestamp(batch.baseTimestamp(), config, nowMs);
        }
        if (config.compact()) {
            checkKeys(batch);
        }
    }

    private static void checkTimestamp(long timestamp, LogConfig config, long nowMs) {
        if (timestamp < 0) {
            return; // no timestamp (-1): nothing to check
        }
        if (nowMs - timestamp > config.messageTimestampBeforeMaxMs()) {
            throw new StorageException(Errors.INVALID_TIMESTAMP, "Timestamp " + timestamp + " is more than "
                + LogConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS + "=" + config.messageTimestampBeforeMaxMs() + " ms before now (" + nowMs + ")");
        }
        if (timestamp - nowMs > config.messageTimestampAfterMaxMs()) {
            throw new StorageException(Errors.INVALID_TIMESTAMP, "Timestamp " + timestamp + " is more than "
                + LogConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS + "=" + config.messageTimestampAfterMaxMs() + " ms after now (" + nowMs + ")");
        }
    }

    private static void checkKeys(RecordBatch batch) {
        try (RecordIterator records = batch.recordIterator()) {
            int index = 0;
            while (records.hasNext()) {
                Record record = records.next();
                if (record.key() == null) {
                    throw new StorageException(Errors.INVALID_RECORD,
                        "Record " + index + " of a batch has no key; a compacted topic needs a key on every record");
                }
                index++;
            }
        }
    }
}
