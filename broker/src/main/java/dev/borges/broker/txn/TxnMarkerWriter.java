package dev.borges.broker.txn;

import dev.borges.broker.partition.PartitionManager;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.LogAppendInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes transaction markers into the partitions this broker leads: the one storage operation the
 * transaction coordinator needs to end a transaction ("write COMMIT or ABORT for producer P on
 * partition X"), and what a WriteTxnMarkers request from another broker's coordinator will call.
 * Each marker goes through the partition's producer-state checks ({@code Partition#appendTxnMarker});
 * once written it may move the last stable offset, so fetches waiting on the partition are woken:
 * a {@code read_committed} long poll completes when the transaction it waits behind ends.
 *
 * <p>Lifecycle: one per broker, created with the partitions and the fetch purgatory. Threading:
 * thread-safe; appends are serialised by each partition's log.
 */
public final class TxnMarkerWriter {
    private static final Logger LOG = LoggerFactory.getLogger(TxnMarkerWriter.class);

    private final PartitionManager partitions;
    private final Purgatory<TopicPartition> fetchPurgatory;

    /** What writing one marker did: {@code Errors.NONE} and the marker's offset, or the error for the coordinator. */
    public record Result(Errors error, long offset, String message) {
        static Result written(LogAppendInfo info) {
            return new Result(Errors.NONE, info.firstOffset(), "");
        }
    }

    public TxnMarkerWriter(PartitionManager partitions, Purgatory<TopicPartition> fetchPurgatory) {
        this.partitions = partitions;
        this.fetchPurgatory = fetchPurgatory;
    }

    /**
     * Ends {@code producerId}'s transaction on {@code topicPartition}: COMMIT if {@code commit}, else
     * ABORT, written with {@code producerEpoch} for the coordinator of {@code coordinatorEpoch}.
     *
     * @return {@code NONE}, or {@code UNKNOWN_TOPIC_OR_PARTITION} (not led here),
     *     {@code NOT_ENOUGH_REPLICAS}, {@code INVALID_PRODUCER_EPOCH},
     *     {@code TRANSACTION_COORDINATOR_FENCED}, {@code KAFKA_STORAGE_ERROR}
     */
    public Result write(TopicPartition topicPartition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit) {
        ControlRecordType type = commit ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
        try {
            LogAppendInfo info = partitions.leader(topicPartition).appendTxnMarker(producerId, producerEpoch, coordinatorEpoch, type);
            fetchPurgatory.checkAndComplete(topicPartition);
            return Result.written(info);
        } catch (StorageException e) {
            return new Result(e.error(), -1L, e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Unexpected error writing a {} marker for producer {} to {}", type, producerId, topicPartition, e);
            return new Result(Errors.UNKNOWN_SERVER_ERROR, -1L, String.valueOf(e));
        }
    }
}
