package dev.borges.broker.coordinator;

import dev.borges.broker.partition.Partition;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.FetchDataInfo;
import dev.borges.storage.log.FetchIsolation;
import dev.borges.storage.log.LogAppendInfo;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A shard's log: a partition this broker leads. Appends go through the leader path like a
 * producer's ({@code acks=-1}, one uncompressed batch per write, record timestamps = append time),
 * and wake fetches waiting on the partition. Loading reads from the log start to the log end in
 * chunks of {@code offsets.load.buffer.size}.
 *
 * <p>Transactions (KIP-98): a transactional write is one batch with the producer's id and epoch,
 * base sequence 0 and the transactional flag, appended as a coordinator's batch (epoch checked,
 * sequence not: the sequence numbers belong to the client's own batches). The transaction's end is
 * a control batch written through {@link Partition#appendTxnMarker}, with its fencing of stale
 * producer and coordinator epochs. Loading hands records of transactional batches and the markers
 * to the shard as such, so it can keep them pending until their marker.
 *
 * <p>Commit: with a replication factor of one the high watermark passes every append at once. With
 * followers, {@link #whenCommitted} must wait for the high watermark; until replication provides a
 * notification for that, it re-checks on the broker's timer every few milliseconds.
 */
public final class PartitionCoordinatorLog implements CoordinatorLog {
    private static final long COMMIT_RECHECK_MS = 5;

    private final Partition partition;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final int loadBufferBytes;
    private final ScheduledExecutorService recheckTimer;

    /**
     * @param fetchPurgatory fetches waiting for data (someone may read the internal topic)
     * @param recheckTimer where to re-check the high watermark when a write is not yet committed
     */
    public PartitionCoordinatorLog(Partition partition, Purgatory<TopicPartition> fetchPurgatory, int loadBufferBytes,
                                   ScheduledExecutorService recheckTimer) {
        this.partition = partition;
        this.fetchPurgatory = fetchPurgatory;
        this.loadBufferBytes = loadBufferBytes;
        this.recheckTimer = recheckTimer;
    }

    @Override
    public long append(List<CoordinatorRecord> records, long nowMs) {
        return written(partition.appendAsLeader(withRecords(new RecordBatchBuilder(0L), records, nowMs).build(), (short) -1));
    }

    @Override
    public long appendTransactional(long producerId, short producerEpoch, List<CoordinatorRecord> records, long nowMs) {
        RecordBatchBuilder batch = new RecordBatchBuilder(0L).producer(producerId, producerEpoch, 0).transactional(true);
        return written(partition.appendFromCoordinator(withRecords(batch, records, nowMs).build()));
    }

    @Override
    public long appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, long nowMs) {
        return written(partition.appendTxnMarker(producerId, producerEpoch, coordinatorEpoch,
            commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT));
    }

    private static RecordBatchBuilder withRecords(RecordBatchBuilder batch, List<CoordinatorRecord> records, long nowMs) {
        for (CoordinatorRecord record : records) {
            batch.append(nowMs, record.key(), record.value());
        }
        return batch;
    }

    /** Wakes fetches waiting on the partition (a marker may also move its last stable offset). */
    private long written(LogAppendInfo info) {
        if (fetchPurgatory != null) {
            fetchPurgatory.checkAndComplete(partition.topicPartition());
        }
        return info.lastOffset();
    }

    @Override
    public CompletableFuture<Void> whenCommitted(long offset) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        checkCommitted(offset, committed);
        return committed;
    }

    private void checkCommitted(long offset, CompletableFuture<Void> committed) {
        if (partition.highWatermark() > offset) {
            committed.complete(null);
        } else {
            recheckTimer.schedule(() -> checkCommitted(offset, committed), COMMIT_RECHECK_MS, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public long readAll(CoordinatorShard shard) {
        long offset = partition.log().logStartOffset();
        long end = partition.log().logEndOffset();
        long count = 0;
        while (offset < end) {
            FetchDataInfo data = partition.read(offset, loadBufferBytes, FetchIsolation.LOG_END, true);
            ByteBuffer buffer = ByteBuffer.allocate(data.records().sizeInBytes());
            data.records().copyTo(buffer);
            buffer.flip();
            long next = offset;
            for (RecordBatch batch : MemoryRecords.readableView(buffer).completeBatches()) {
                if (batch.lastOffset() < offset) {
                    continue;
                }
                count += replayBatch(batch, offset, shard);
                next = batch.nextOffset();
            }
            if (next == offset) {
                throw new IllegalStateException("No complete batch at offset " + offset + " of " + partition.topicPartition()
                    + " (log end " + end + ")");
            }
            offset = next;
        }
        return count;
    }

    /** Hands the records of {@code batch} from {@code offset} on to {@code shard}; returns how many. */
    private static long replayBatch(RecordBatch batch, long offset, CoordinatorShard shard) {
        long count = 0;
        for (Record record : batch.records()) {
            if (record.offset() < offset) {
                continue;
            }
            if (batch.isControlBatch()) {
                ControlRecordType type = ControlRecordType.of(record);
                if (type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT) {
                    shard.replayEndTransaction(batch.producerId(), batch.producerEpoch(), type == ControlRecordType.COMMIT);
                    count++;
                }
            } else if (record.hasKey()) {
                CoordinatorRecord coordinatorRecord = new CoordinatorRecord(record.keyBytes(), record.hasValue() ? record.valueBytes() : null);
                if (batch.isTransactional()) {
                    shard.replayTransactional(batch.producerId(), batch.producerEpoch(), coordinatorRecord);
                } else {
                    shard.replay(coordinatorRecord);
                }
                count++;
            }
        }
        return count;
    }
}
