package dev.borges.storage;

import dev.borges.protocol.Errors;

/**
 * A storage operation failed, with the Kafka error a client should see: an invalid batch
 * ({@code CORRUPT_MESSAGE}, {@code INVALID_RECORD}, {@code MESSAGE_TOO_LARGE},
 * {@code RECORD_LIST_TOO_LARGE}), a producer-state violation ({@code OUT_OF_ORDER_SEQUENCE_NUMBER},
 * {@code INVALID_PRODUCER_EPOCH}), an offset outside the log ({@code OFFSET_OUT_OF_RANGE}), or an
 * I/O failure that took the log offline ({@code KAFKA_STORAGE_ERROR}).
 */
public class StorageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Errors error;

    public StorageException(Errors error, String message) {
        super(message);
        this.error = error;
    }

    public StorageException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The error code to answer a client with. */
    public Errors error() {
        return error;
    }
}
