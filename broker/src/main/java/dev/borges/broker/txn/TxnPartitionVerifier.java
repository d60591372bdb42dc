package dev.borges.broker.txn;

import dev.borges.protocol.Errors;
import dev.borges.storage.TopicPartition;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the transaction coordinator whether a partition is in a producer's ongoing transaction
 * before a transactional batch is appended there ({@code transaction.partition.verification.enable},
 * KIP-890 part 1): a batch for a partition the producer never added, or sent after its transaction
 * ended, is refused instead of leaving an open transaction nobody will end. In-process today; the
 * wire form is AddPartitionsToTxn v4+ with {@code VerifyOnly}, for when the coordinator is on
 * another broker.
 */
@FunctionalInterface
public interface TxnPartitionVerifier {
    /** Verification off: every batch is accepted. */
    TxnPartitionVerifier DISABLED = (transactionalId, producerId, producerEpoch, partition) ->
        CompletableFuture.completedFuture(Errors.NONE);

    /**
     * @return NONE if the batch may be appended; else the error for the producer
     *     ({@code INVALID_TXN_STATE} for a partition not in its transaction, {@code PRODUCER_FENCED},
     *     {@code INVALID_PRODUCER_ID_MAPPING}, {@code NOT_COORDINATOR}, ...)
     */
    CompletableFuture<Errors> verify(String transactionalId, long producerId, short producerEpoch, TopicPartition partition);
}
