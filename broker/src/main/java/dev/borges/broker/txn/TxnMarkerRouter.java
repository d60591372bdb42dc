package dev.borges.broker.txn;

import dev.borges.protocol.Errors;
import dev.borges.storage.TopicPartition;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the marker of a transaction on one partition of this broker goes: partitions of the group
 * coordinator's topic to {@link GroupTxnCompletion} (the group coordinator also settles the
 * transaction's offsets), every other partition to {@link TxnMarkerWriter}. The local coordinator's
 * {@link TxnMarkerSender} and the WriteTxnMarkers handler both end transactions through it.
 *
 * <p>Threading: thread-safe.
 */
public final class TxnMarkerRouter {
    private static final Logger LOG = LoggerFactory.getLogger(TxnMarkerRouter.class);

    /** Writes one marker to an ordinary partition this broker leads ({@link TxnMarkerWriter#write}). */
    @FunctionalInterface
    public interface PartitionMarkerWrite {
        Errors write(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit);
    }

    private final PartitionMarkerWrite partitions;
    private final GroupTxnCompletion groups;
    private final String offsetsTopic;

    /** @param offsetsTopic the group coordinator's topic, whose partitions go to {@code groups} */
    public TxnMarkerRouter(PartitionMarkerWrite partitions, GroupTxnCompletion groups, String offsetsTopic) {
        this.partitions = partitions;
        this.groups = groups;
        this.offsetsTopic = offsetsTopic;
    }

    /** A router for this broker's partitions. */
    public static TxnMarkerRouter of(TxnMarkerWriter writer, GroupTxnCompletion groups, String offsetsTopic) {
        return new TxnMarkerRouter((tp, producerId, epoch, coordinatorEpoch, commit) ->
            writer.write(tp, producerId, epoch, coordinatorEpoch, commit).error(), groups, offsetsTopic);
    }

    /** Ends {@code producerId}'s transaction on {@code partition}; an unexpected failure is {@code UNKNOWN_SERVER_ERROR}. */
    public CompletableFuture<Errors> write(TopicPartition partition, long producerId, short producerEpoch, int coordinatorEpoch,
                                           boolean commit) {
        try {
            if (partition.topic().equals(offsetsTopic)) {
                return groups.completeTransaction(partition, producerId, producerEpoch, coordinatorEpoch, commit)
                    .exceptionally(failure -> {
                        LOG.warn("Ending producer {}'s transaction on {} failed", producerId, partition, failure);
                        return Errors.UNKNOWN_SERVER_ERROR;
                    });
            }
            return CompletableFuture.completedFuture(partitions.write(partition, producerId, producerEpoch, coordinatorEpoch, commit));
        } catch (RuntimeException e) {
            LOG.warn("Ending producer {}'s transaction on {} failed", producerId, partition, e);
            return CompletableFuture.completedFuture(Errors.UNKNOWN_SERVER_ERROR);
        }
    }
}
