package dev.borges.broker.group.consumer;

import dev.borges.protocol.Errors;

/**
 * An operation on a consumer group fails with a Kafka error: thrown inside the operation, turned
 * into the response's error code and message before the result leaves {@link ConsumerGroupManager},
 * so it never reaches the runtime.
 */
final class GroupOperationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final Errors error;

    GroupOperationException(Errors error, String message) {
        super(message, null, false, false);
        this.error = error;
    }
}
