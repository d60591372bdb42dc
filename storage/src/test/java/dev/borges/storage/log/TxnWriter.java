package dev.borges.storage.log;

import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.record.Records;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes to a partition log as transactional producers and their coordinator would: transactional
 * batches with each producer's next sequence, plain batches, and COMMIT or ABORT markers (coordinator
 * epoch 0, producer epoch 0), moving the high watermark to the log end after each write as a
 * single-replica partition does. Records are "value" strings; keys are "k-value".
 */
final class TxnWriter {
    private final Map<Long, Integer> sequences = new HashMap<>();
    private final long timestamp;
    PartitionLog log;

    TxnWriter(PartitionLog log, long timestamp) {
        this.log = log;
        this.timestamp = timestamp;
    }

    LogAppendInfo data(long producerId, String... values) {
        int sequence = sequences.getOrDefault(producerId, 0);
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(producerId, (short) 0, sequence).transactional(true);
        for (String value : values) {
            builder.append(timestamp, ("k-" + value).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        LogAppendInfo info = log.appendAsLeader(builder.build(), 0);
        sequences.put(producerId, sequence + values.length);
        log.updateHighWatermark(log.logEndOffset());
        return info;
    }

    LogAppendInfo plain(String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        for (String value : values) {
            builder.append(timestamp, ("k-" + value).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        LogAppendInfo info = log.appendAsLeader(builder.build(), 0);
        log.updateHighWatermark(log.logEndOffset());
        return info;
    }

    LogAppendInfo commit(long producerId) {
        return marker(producerId, ControlRecordType.COMMIT);
    }

    LogAppendInfo abort(long producerId) {
        return marker(producerId, ControlRecordType.ABORT);
    }

    LogAppendInfo marker(long producerId, ControlRecordType type) {
        LogAppendInfo info = log.appendTxnMarker(producerId, (short) 0, 0, type, 0);
        log.updateHighWatermark(log.logEndOffset());
        return info;
    }

    /**
     * What a read_committed consumer makes of {@code records} given the aborted transactions: the
     * values of data records, minus those of a producer from an aborted transaction's first offset
     * until that producer's ABORT marker, without control records. Kafka's consumer does the same.
     */
    static List<String> committedValues(Records records, List<dev.borges.storage.index.AbortedTxn> aborted) {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        records.copyTo(buffer);
        List<String> values = new ArrayList<>();
        List<dev.borges.storage.index.AbortedTxn> pending = new ArrayList<>(aborted);
        java.util.Set<Long> abortedProducers = new java.util.HashSet<>();
        for (RecordBatch batch : MemoryRecords.readableView(buffer.flip()).completeBatches()) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                var txn = it.next();
                if (txn.firstOffset() <= batch.lastOffset()) {
                    abortedProducers.add(txn.producerId());
                    it.remove();
                }
            }
            if (batch.isControlBatch()) {
                if (batch.hasProducerId() && batch.records().get(0).key().getShort(2) == ControlRecordType.ABORT.id()) {
                    abortedProducers.remove(batch.producerId());
                }
                continue;
            }
            if (batch.isTransactional() && abortedProducers.contains(batch.producerId())) {
                continue;
            }
            for (Record record : batch.records()) {
                values.add(new String(record.valueBytes(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    /** Every record's value in {@code records}, control records as "COMMIT"/"ABORT". */
    static List<String> allValues(Records records) {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        records.copyTo(buffer);
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableView(buffer.flip()).completeBatches()) {
            for (Record record : batch.records()) {
                values.add(batch.isControlBatch() ? ControlRecordType.of(record).name()
                    : new String(record.valueBytes(), StandardCharsets.UTF_8));
            }
        }
        return values;
    }
}
