package dev.borges.broker.txn;

/**
 * How the transaction coordinator ends a transaction on a {@code __consumer_offsets} partition
 * (offsets a producer sent with {@code sendOffsetsToTransaction}): the group coordinator writes the
 * marker and makes the transaction's pending offsets committed or drops them. Until the group side
 * exists, the broker wires it to the plain marker writer.
 */
@FunctionalInterface
public interface GroupTxnCompletion {
    /** Writes the marker of producerId's transaction to a __consumer_offsets partition and applies it to the group coordinator's pending transactional offsets. */
    java.util.concurrent.CompletableFuture<dev.borges.protocol.Errors> completeTransaction(dev.borges.storage.TopicPartition offsetsPartition, long producerId, short producerEpoch, int coordinatorEpoch, boolean commit);
}
