package dev.borges.broker.handler;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.Errors;
import dev.borges.protocol.ProtocolException;
import dev.borges.storage.StorageException;
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
}
