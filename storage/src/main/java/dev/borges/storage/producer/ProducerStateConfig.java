package dev.borges.storage.producer;

/**
 * Settings of producer state, with Kafka's broker-level key names and defaults. Immutable.
 *
 * @param producerIdExpirationMs {@value #PRODUCER_ID_EXPIRATION_MS}: how long after its last
 *     timestamp a producer's state is kept without a new write; after that its sequences are
 *     forgotten and its next batch is accepted with any sequence (KIP-360)
 */
public record ProducerStateConfig(long producerIdExpirationMs) {
    public static final String PRODUCER_ID_EXPIRATION_MS = "producer.id.expiration.ms";
    public static final long DEFAULT_PRODUCER_ID_EXPIRATION_MS = 24L * 60 * 60 * 1000;

    public ProducerStateConfig {
        if (producerIdExpirationMs < 1) {
            throw new IllegalArgumentException(PRODUCER_ID_EXPIRATION_MS + " must be at least 1, not " + producerIdExpirationMs);
        }
    }

    /** Kafka's defaults. */
    public static ProducerStateConfig defaults() {
        return new ProducerStateConfig(DEFAULT_PRODUCER_ID_EXPIRATION_MS);
    }
}
