package dev.borges.broker.txn;

import dev.borges.broker.config.BrokerConfig;

/**
 * The transaction coordinator's settings, read once from the broker configuration (Kafka's keys
 * and defaults; {@link BrokerConfig#KEYS} documents each).
 *
 * @param stateLogPartitions {@code transaction.state.log.num.partitions}
 * @param stateLogReplicationFactor {@code transaction.state.log.replication.factor}
 * @param stateLogMinIsr {@code transaction.state.log.min.isr}
 * @param stateLogSegmentBytes {@code transaction.state.log.segment.bytes}
 * @param loadBufferBytes {@code transaction.state.log.load.buffer.size}
 * @param maxTimeoutMs {@code transaction.max.timeout.ms}
 * @param transactionalIdExpirationMs {@code transactional.id.expiration.ms}
 * @param abortTimedOutIntervalMs {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}
 * @param removeExpiredIntervalMs {@code transaction.remove.expired.transaction.cleanup.interval.ms}
 * @param partitionVerification {@code transaction.partition.verification.enable}
 */
public record TxnConfig(int stateLogPartitions, int stateLogReplicationFactor, int stateLogMinIsr, int stateLogSegmentBytes,
                        int loadBufferBytes, int maxTimeoutMs, long transactionalIdExpirationMs, long abortTimedOutIntervalMs,
                        long removeExpiredIntervalMs, boolean partitionVerification) {
    /** How long the marker writer waits before writing a marker again after a retriable error. */
    public static final long MARKER_RETRY_BACKOFF_MS = 100;

    public static TxnConfig from(BrokerConfig config) {
        return new TxnConfig(
            config.intValue(BrokerConfig.TRANSACTION_STATE_LOG_NUM_PARTITIONS),
            config.intValue(BrokerConfig.TRANSACTION_STATE_LOG_REPLICATION_FACTOR),
            config.intValue(BrokerConfig.TRANSACTION_STATE_LOG_MIN_ISR),
            config.intValue(BrokerConfig.TRANSACTION_STATE_LOG_SEGMENT_BYTES),
            config.intValue(BrokerConfig.TRANSACTION_STATE_LOG_LOAD_BUFFER_SIZE),
            config.intValue(BrokerConfig.TRANSACTION_MAX_TIMEOUT_MS),
            config.intValue(BrokerConfig.TRANSACTIONAL_ID_EXPIRATION_MS),
            config.intValue(BrokerConfig.TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS),
            config.intValue(BrokerConfig.TRANSACTION_REMOVE_EXPIRED_TRANSACTION_CLEANUP_INTERVAL_MS),
            config.booleanValue(BrokerConfig.TRANSACTION_PARTITION_VERIFICATION_ENABLE));
    }

    public static TxnConfig defaults() {
        return from(BrokerConfig.defaults());
    }
}
