package dev.borges.storage.log;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.Errors;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordVisitor;
import dev.borges.protocol.record.TimestampType;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks batches from a producer before anything is written: a whole batch sequence that fails
 * any check is refused with the Kafka error the producer should see, and nothing of it is stored.
 * The checks are those of Kafka's {@code LogValidator} for a client's batches, header and records:
 *
 * <ul>
 *   <li>structure: whole batches, magic 2, lengths that fit ({@code CORRUPT_MESSAGE})</li>
 *   <li>the CRC of every batch ({@code CORRUPT_MESSAGE})</li>
 *   <li>each batch within {@code max.message.bytes} ({@code MESSAGE_TOO_LARGE}), all together
 *       within {@code segment.bytes} ({@code RECORD_LIST_TOO_LARGE})</li>
 *   <li>at least one record, a last offset delta of count - 1, and no control batches from clients
 *       ({@code INVALID_RECORD})</li>
 *   <li>every record, decompressed if the batch is: well formed, as many as the header counts and
 *       nothing after them ({@code CORRUPT_MESSAGE}); offset deltas 0..n-1 ({@code INVALID_RECORD});
 *       a key on every record of a compacted topic ({@code INVALID_RECORD}); on a CreateTime topic,
 *       each record's timestamp within {@code message.timestamp.before/after.max.ms} of now
 *       ({@code INVALID_TIMESTAMP})</li>
 * </ul>
 *
 * <p>Like Kafka, a CreateTime topic's batch then carries the largest timestamp of its records as its
 * max timestamp (the header is corrected, CRC included, if a producer put something else there), so
 * the time index and ListOffsets never trust a value no record has. Kafka rewrites a compressed
 * batch whose offset deltas are not 0..n-1 (old v1 clients made them); no v2 client does, and
 * Borges refuses it rather than re-encode a producer's bytes.
 *
 * <p>Decompressing to check the records is what Kafka does too; it is the cost of knowing that
 * every stored compressed batch can be read back.
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
        validateRecords(batch, config, nowMs);
    }

    /** One pass over the records (decompressing them); see the class comment for what it checks. */
    private static void validateRecords(RecordBatch batch, LogConfig config, long nowMs) {
        RecordChecks checks = new RecordChecks(batch.baseOffset(), config, nowMs);
        batch.scanRecords(checks);
        if (checks.createTime) {
            batch.setMaxTimestamp(TimestampType.CREATE_TIME, checks.maxTimestamp);
        }
    }

    /** The per-record checks of one batch, and the largest timestamp seen. */
    private static final class RecordChecks implements RecordVisitor {
        private final long baseOffset;
        private final LogConfig config;
        private final long nowMs;
        private final boolean createTime;
        private final boolean compact;
        private long maxTimestamp = RecordBatch.NO_TIMESTAMP;

        RecordChecks(long baseOffset, LogConfig config, long nowMs) {
            this.baseOffset = baseOffset;
            this.config = config;
            this.nowMs = nowMs;
            this.createTime = !config.logAppendTime();
            this.compact = config.compact();
        }

        @Override
        public void record(int index, long offset, long timestamp, boolean hasKey) {
            if (offset - baseOffset != index) {
                throw new StorageException(Errors.INVALID_RECORD, "Record " + index + " of a batch has offset delta "
                    + (offset - baseOffset) + "; offsets inside a batch must run 0..n-1");
            }
            if (compact && !hasKey) {
                throw new StorageException(Errors.INVALID_RECORD,
                    "Record " + index + " of a batch has no key; a compacted topic needs a key on every record");
            }
            if (createTime) {
                checkTimestamp(timestamp, config, nowMs);
                maxTimestamp = Math.max(maxTimestamp, timestamp);
            }
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
}
