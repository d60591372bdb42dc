package dev.borges.broker.handler;

import dev.borges.metadata.controller.ControllerException;
import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.Errors;
import dev.borges.protocol.ProtocolException;
import dev.borges.storage.StorageException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what a partition operation threw into the Kafka error code a client expects. Anything
 * unexpected is logged with its stack trace and answered {@code UNKNOWN_SERVER_ERROR}, so one
 * partition's failure never fails the whole request or the connection.
 */
final class HandlerErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HandlerErrors.class);

    private HandlerErrors() {
    }

    static Errors toError(RuntimeException e, String what) {
        if (e instanceof StorageException storage) {
            return storage.error();
        }
        if (e instanceof CorruptRecordException) {
            return Errors.CORRUPT_MESSAGE;
        }
        if (e instanceof ProtocolException) {
            return Errors.INVALID_REQUEST;
        }
        LOG.error("Unexpected error while handling {}", what, e);
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /**
     * A controller write that failed as a whole: its {@link ControllerException} error (e.g.
     * {@code NOT_CONTROLLER}, {@code REQUEST_TIMED_OUT}), anything else logged and
     * {@code UNKNOWN_SERVER_ERROR}.
     */
    static ControllerException fromController(Throwable failure, String what) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ControllerException controller) {
            return controller;
        }
        LOG.error("Unexpected error while handling {}", what, cause);
        return new ControllerException(Errors.UNKNOWN_SERVER_ERROR, String.valueOf(cause), cause);
    }
}
