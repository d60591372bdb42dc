package dev.borges.broker.txn;

import dev.borges.storage.TopicPartition;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One transactional id's state in the coordinator: exactly what its latest {@code __transaction_state}
 * record says (see {@link TransactionLogRecords}), so replaying the log rebuilds it. Immutable: a
 * transition is a new value, written as a record, then replayed.
 *
 * @param transactionalId the producer's {@code transactional.id}
 * @param producerId the producer id in use
 * @param producerEpoch its current epoch (0 for a new id; bumped by every InitProducerId and fencing abort)
 * @param timeoutMs the producer's {@code transaction.timeout.ms}
 * @param state where the transaction stands
 * @param partitions the partitions in the ongoing (or preparing) transaction, sorted
 * @param startMs when the ongoing transaction started ({@code -1} if none)
 * @param lastUpdateMs when this state was written
 */
public record TransactionMetadata(String transactionalId, long producerId, short producerEpoch, int timeoutMs,
                                  TransactionState state, Set<TopicPartition> partitions, long startMs, long lastUpdateMs) {
    private static final Comparator<TopicPartition> ORDER = Comparator.comparing(TopicPartition::topic)
        .thenComparingInt(TopicPartition::partition);

    public TransactionMetadata {
        partitions = sorted(partitions);
    }

    /** The epoch a producer may not go beyond: the next bump needs a new producer id (Kafka's {@code Short.MAX_VALUE - 1}). */
    public static final short MAX_EPOCH = Short.MAX_VALUE - 1;

    /** Whether the epoch cannot be bumped any more: the next InitProducerId hands out a new producer id. */
    public boolean epochExhausted() {
        return producerEpoch >= MAX_EPOCH;
    }

    /** Whether the transaction has run longer than its timeout at {@code nowMs}. */
    public boolean timedOut(long nowMs) {
        return state == TransactionState.ONGOING && startMs + timeoutMs < nowMs;
    }

    public TransactionMetadata with(long newProducerId, short newEpoch, int newTimeoutMs, TransactionState newState,
                                    Set<TopicPartition> newPartitions, long newStartMs, long nowMs) {
        return new TransactionMetadata(transactionalId, newProducerId, newEpoch, newTimeoutMs, newState, newPartitions, newStartMs,
            nowMs);
    }

    public TransactionMetadata withState(TransactionState newState, long nowMs) {
        return with(producerId, producerEpoch, timeoutMs, newState, partitions, startMs, nowMs);
    }

    private static Set<TopicPartition> sorted(Set<TopicPartition> partitions) {
        List<TopicPartition> list = partitions.stream().sorted(ORDER).toList();
        return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(list));
    }
}
