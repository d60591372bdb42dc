package dev.borges.broker.txn;

import dev.borges.storage.TopicPartition;
import java.util.Set;

/**
 * The markers that end one prepared transaction: COMMIT or ABORT for {@code producerId} at
 * {@code producerEpoch} on each of {@code partitions}, written for the coordinator of
 * {@code coordinatorEpoch} (the leader epoch of its {@code __transaction_state} partition).
 *
 * @param statePartition the {@code __transaction_state} partition that coordinates the transaction
 */
public record TxnMarkers(String transactionalId, int statePartition, int coordinatorEpoch, long producerId, short producerEpoch,
                         boolean commit, Set<TopicPartition> partitions) {
    public TxnMarkers {
        partitions = Set.copyOf(partitions);
    }
}
