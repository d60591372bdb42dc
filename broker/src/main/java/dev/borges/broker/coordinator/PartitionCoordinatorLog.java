package dev.borges.broker.coordinator;

import dev.borges.broker.partition.Partition;
import dev.borges.broker.purgatory.Purgatory;
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
import java.util.function.Consumer;

/**
 * A shard's log: a partition this broker leads. Appends go through the leader path like a
 * producer's ({@code acks=-1}, one uncompressed batch per write, record timestamps = append time),
 * and wake fetches waiting on the partition. Loading reads from the log start to the log end in
 * chunks of {@code offsets.load.buffer.size}, skipping control batches.
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
        RecordBatchBuilder batch = new RecordBatchBuilder(0L);
        for (CoordinatorRecord record : records) {
            batch.append(nowMs, record.key(), record.value());
        }
        LogAppendInfo info = partition.appendAsLeader(batch.build(), (short) -1);
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
    public long readAll(Consumer<CoordinatorRecord> replay) {
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
                if (!batch.isControlBatch()) {
                    for (Record record : batch.records()) {
                        if (record.offset() >= offset && record.hasKey()) {
                            replay.accept(new CoordinatorRecord(record.keyBytes(), record.hasValue() ? record.valueBytes() : null));
                            count++;
                        }
                    }
                }
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
}
