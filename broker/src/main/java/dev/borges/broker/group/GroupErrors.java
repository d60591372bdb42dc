package dev.borges.broker.group;

import dev.borges.broker.coordinator.CoordinatorErrors;
import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;

/**
 * The Kafka error a group request answers when its operation failed as a whole:
 * {@link CoordinatorErrors} for {@code __consumer_offsets}, except that a commit too large to
 * append (MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE) answers
 * {@code INVALID_COMMIT_OFFSET_SIZE}, as in Kafka.
 */
public final class GroupErrors {
    private GroupErrors() {
    }

    public static Errors toError(Throwable failure, String operation) {
        return toError(failure, operation, false);
    }

    public static Errors toError(Throwable failure, String operation, boolean offsetCommit) {
        if (offsetCommit && CoordinatorErrors.unwrap(failure) instanceof StorageException storage && tooLarge(storage.error())) {
            return Errors.INVALID_COMMIT_OFFSET_SIZE;
        }
        return CoordinatorErrors.toError(failure, GroupCoordinator.OFFSETS_TOPIC, operation);
    }

    private static boolean tooLarge(Errors error) {
        return error == Errors.MESSAGE_TOO_LARGE || error == Errors.RECORD_LIST_TOO_LARGE || error == Errors.INVALID_FETCH_SIZE;
    }
}
