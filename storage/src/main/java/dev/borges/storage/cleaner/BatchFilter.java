package dev.borges.storage.cleaner;

import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.record.RecordIterator;
import dev.borges.protocol.record.TimestampType;
import dev.borges.storage.index.AbortedTxn;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides, record by record, what of one stored batch survives a cleaning pass, and rebuilds the
 * batch from the survivors when some were dropped.
 *
 * <p>A record is kept when all of these hold:
 * <ol>
 *   <li>it has a key (a record without one cannot be compacted and is dropped, as Kafka does);</li>
 *   <li>no later record has the same key: its offset is at least the offset map's entry for the key
 *       (keys absent from the map were deduplicated by earlier passes);</li>
 *   <li>it has a value, or it is a tombstone whose batch has no delete horizon yet or one still in
 *       the future (KIP-534).</li>
 * </ol>
 * Batches the offset map does not cover (at or past {@code mapEnd}: a pass whose map filled up)
 * are kept byte for byte. A batch that keeps every record is kept byte for byte too, unless it
 * holds a tombstone and has no delete horizon yet: then it is rebuilt with the horizon
 * {@code now + delete.retention.ms}, which starts the tombstone's countdown.
 *
 * <p>Transactions ({@link CleanedTransactions}), wherever the offset map reaches: a batch of an
 * aborted transaction is dropped whole. A transaction marker is kept byte for byte while records of
 * its transaction are left; after that it goes the way of a tombstone: rebuilt with a delete
 * horizon, then dropped by the first pass at or after it. Other control batches are kept byte for
 * byte.
 *
 * <p>A rebuilt batch keeps the original's base offset (so record offsets and producer sequence
 * numbers are unchanged; the gaps stay), compression, timestamp type (and log append time),
 * producer id, epoch and base sequence, transactional flag and partition leader epoch. It carries a
 * delete horizon only while it holds tombstones. A batch left with no record is dropped.
 *
 * <p>Not thread-safe; one per pass.
 */
final class BatchFilter {
    private final OffsetMap map;
    private final long mapEnd;
    private final long nowMs;
    private final long newDeleteHorizonMs;
    private final CleanedTransactions transactions;

    /**
     * @param mapEnd first offset the offset map does not cover
     * @param deleteRetentionMs the topic's {@code delete.retention.ms}
     * @param transactions the pass's view of aborted transactions and markers, fed every batch filtered
     */
    BatchFilter(OffsetMap map, long mapEnd, long nowMs, long deleteRetentionMs, CleanedTransactions transactions) {
        this.map = map;
        this.mapEnd = mapEnd;
        this.nowMs = nowMs;
        this.newDeleteHorizonMs = saturatedAdd(nowMs, deleteRetentionMs);
        this.transactions = transactions;
    }

    /** What happened to one batch. */
    enum Outcome { KEPT, REBUILT, DROPPED }

    /**
     * @param records the batch to write instead (the original bytes when {@link Outcome#KEPT}); null when dropped
     * @param tombstoneHorizonMs the delete horizon of the written batch if it holds tombstones or is a
     *     removable marker, else {@link RecordBatch#NO_TIMESTAMP}
     * @param abortedRecordsRemoved records dropped because their transaction was aborted
     * @param markersRemoved transaction markers dropped
     * @param keptAbortedTxn for a kept ABORT marker whose transaction still had records in the pass,
     *     the transaction, which the cleaned segment's transaction index must keep
     */
    record Filtered(Outcome outcome, MemoryRecords records, long lastOffset, int recordsKept, int recordsRemoved,
                    int tombstonesRemoved, long tombstoneHorizonMs, int abortedRecordsRemoved, int markersRemoved,
                    Optional<AbortedTxn> keptAbortedTxn) {
        Filtered(Outcome outcome, MemoryRecords records, long lastOffset, int recordsKept, int recordsRemoved, int tombstonesRemoved,
                 long tombstoneHorizonMs) {
            this(outcome, records, lastOffset, recordsKept, recordsRemoved, tombstonesRemoved, tombstoneHorizonMs, 0, 0,
                Optional.empty());
        }
    }

    Filtered filter(RecordBatch batch) {
        if (batch.isControlBatch()) {
            return filterControl(batch);
        }
        if (transactions.isAborted(batch)) {
            return new Filtered(Outcome.DROPPED, null, RecordBatch.NO_TIMESTAMP, 0, batch.recordCount(), 0, RecordBatch.NO_TIMESTAMP,
                batch.recordCount(), 0, Optional.empty());
        }
        if (batch.baseOffset() >= mapEnd) {
            return kept(batch, RecordBatch.NO_TIMESTAMP);
        }
        boolean horizonPassed = batch.hasDeleteHorizon() && nowMs >= batch.baseTimestamp();
        List<Record> survivors = new ArrayList<>();
        int tombstonesRemoved = 0;
        int total = 0;
        boolean keptTombstone = false;
        try (RecordIterator records = batch.recordIterator()) {
            while (records.hasNext()) {
                Record record = records.next();
                total++;
                ByteBuffer key = record.key();
                boolean latest = key != null && record.offset() >= map.get(key);
                if (latest && record.hasValue()) {
                    survivors.add(record);
                } else if (latest && !horizonPassed) {
                    survivors.add(record);
                    keptTombstone = true;
                } else if (latest) {
                    tombstonesRemoved++;
                }
            }
        }
        int removed = total - survivors.size();
        if (survivors.isEmpty()) {
            return new Filtered(Outcome.DROPPED, null, RecordBatch.NO_TIMESTAMP, 0, removed, tombstonesRemoved,
                RecordBatch.NO_TIMESTAMP);
        }
        if (removed == 0 && (!keptTombstone || batch.hasDeleteHorizon())) {
            return kept(batch, keptTombstone ? batch.baseTimestamp() : RecordBatch.NO_TIMESTAMP);
        }
        long horizon = !keptTombstone ? RecordBatch.NO_TIMESTAMP
            : batch.hasDeleteHorizon() ? batch.baseTimestamp() : newDeleteHorizonMs;
        MemoryRecords rebuilt = rebuild(batch, survivors, horizon);
        return new Filtered(Outcome.REBUILT, rebuilt, survivors.get(survivors.size() - 1).offset(), survivors.size(), removed,
            tombstonesRemoved, horizon);
    }

    /** A marker: kept while its transaction has records, then given a horizon, then dropped once it passes. */
    private Filtered filterControl(RecordBatch batch) {
        CleanedTransactions.MarkerFate fate = transactions.onControlBatch(batch);
        if (!fate.removable()) {
            Filtered kept = kept(batch, RecordBatch.NO_TIMESTAMP);
            return new Filtered(kept.outcome(), kept.records(), kept.lastOffset(), kept.recordsKept(), 0, 0, RecordBatch.NO_TIMESTAMP, 0, 0,
                fate.keptAbortedTxn());
        }
        if (batch.hasDeleteHorizon()) {
            if (nowMs >= batch.baseTimestamp()) {
                return new Filtered(Outcome.DROPPED, null, RecordBatch.NO_TIMESTAMP, 0, 0, 0, RecordBatch.NO_TIMESTAMP, 0, 1,
                    Optional.empty());
            }
            return kept(batch, batch.baseTimestamp());
        }
        RecordBatchBuilder builder = configuredLike(batch).controlBatch(true).deleteHorizon(newDeleteHorizonMs);
        for (Record record : batch.records()) {
            builder.appendControlRecord(record.timestamp(), ControlRecordType.of(record), record.valueBytes());
        }
        return new Filtered(Outcome.REBUILT, builder.build(), batch.lastOffset(), batch.recordCount(), 0, 0, newDeleteHorizonMs);
    }

    private static Filtered kept(RecordBatch batch, long tombstoneHorizonMs) {
        return new Filtered(Outcome.KEPT, MemoryRecords.readableView(batch.buffer()), batch.lastOffset(), batch.recordCount(), 0, 0,
            tombstoneHorizonMs);
    }

    private static MemoryRecords rebuild(RecordBatch original, List<Record> survivors, long deleteHorizonMs) {
        RecordBatchBuilder builder = configuredLike(original).compression(original.compressionType());
        if (deleteHorizonMs != RecordBatch.NO_TIMESTAMP) {
            builder.deleteHorizon(deleteHorizonMs);
        }
        for (Record record : survivors) {
            builder.appendWithOffset(record.offset(), record.timestamp(), record.keyBytes(), record.valueBytes(), record.headers());
        }
        return builder.build();
    }

    /**
     * An empty batch ending at {@code lastOffset} that carries {@code last}'s producer id, epoch and
     * last sequence (as its base sequence). The cleaner ends a cleaned segment with one when the
     * segment's own last batches were all dropped: see {@link Cleaner}. It is never transactional:
     * replayed after a restart, a transactional batch would open a transaction no marker closes.
     */
    static MemoryRecords emptyBatchAt(long lastOffset, RecordBatch last) {
        RecordBatchBuilder builder = new RecordBatchBuilder(lastOffset).partitionLeaderEpoch(last.partitionLeaderEpoch());
        if (last.hasProducerId()) {
            builder.producer(last.producerId(), last.producerEpoch(), last.lastSequence());
        }
        return builder.build();
    }

    private static RecordBatchBuilder configuredLike(RecordBatch original) {
        RecordBatchBuilder builder = new RecordBatchBuilder(original.baseOffset())
            .partitionLeaderEpoch(original.partitionLeaderEpoch())
            .transactional(original.isTransactional());
        if (original.timestampType() == TimestampType.LOG_APPEND_TIME) {
            builder.logAppendTime(original.maxTimestamp());
        }
        if (original.hasProducerId()) {
            builder.producer(original.producerId(), original.producerEpoch(), original.baseSequence());
        }
        return builder;
    }

    static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
