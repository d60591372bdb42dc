package dev.borges.broker.coordinator;

import dev.borges.protocol.Errors;

/**
 * A coordinator operation that failed with a Kafka error the client should see:
 * {@code NOT_COORDINATOR} when this broker does not host the shard (or stopped hosting it),
 * {@code COORDINATOR_LOAD_IN_PROGRESS} while it loads, or an error of the operation itself.
 */
public final class CoordinatorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errors error;

    public CoordinatorException(Errors error, String message) {
        super(message, null, false, false); // an answer to a client, not a bug: no stack trace
        this.error = error;
    }

    public Errors error() {
        return error;
    }
}
