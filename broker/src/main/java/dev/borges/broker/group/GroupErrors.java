package dev.borges.broker.group;

import dev.borges.broker.coordinator.CoordinatorException;
import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka error a group request answers when its operation failed as a whole: the coordinator's
 * own errors ({@code NOT_COORDINATOR}, {@code COORDINATOR_LOAD_IN_PROGRESS}, ...) as they are, and
 * a failed write to {@code __consumer_offsets} as Kafka maps it, so clients retry where they can:
 *
 * <table>
 *   <caption>append errors</caption>
 *   <tr><td>UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS(_AFTER_APPEND), REQUEST_TIMED_OUT</td><td>COORDINATOR_NOT_AVAILABLE</td></tr>
 *   <tr><td>NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR</td><td>NOT_COORDINATOR</td></tr>
 *   <tr><td>INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE (a transactional commit)</td><td>as they are</td></tr>
 *   <tr><td>MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE</td><td>INVALID_COMMIT_OFFSET_SIZE for a commit, else UNKNOWN_SERVER_ERROR</td></tr>
 * </table>
 *
 * Anything else is a bug: logged, and answered {@code UNKNOWN_SERVER_ERROR}.
 */
public final class GroupErrors {
    private static final Logger LOG = LoggerFactory.getLogger(GroupErrors.class);

    private GroupErrors() {
    }

    public static Errors toError(Throwable failure, String operation) {
        return toError(failure, operation, false);
    }

    public static Errors toError(Throwable failure, String operation, boolean offsetCommit) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CoordinatorException coordinator) {
            return coordinator.error();
        }
        if (cause instanceof StorageException storage) {
            return switch (storage.error()) {
                case UNKNOWN_TOPIC_OR_PARTITION, NOT_ENOUGH_REPLICAS, NOT_ENOUGH_REPLICAS_AFTER_APPEND, REQUEST_TIMED_OUT ->
                    Errors.COORDINATOR_NOT_AVAILABLE;
                case NOT_LEADER_OR_FOLLOWER, KAFKA_STORAGE_ERROR -> Errors.NOT_COORDINATOR;
                // A transactional commit's producer was fenced or is out of its transaction: the client must know.
                case INVALID_PRODUCER_EPOCH, INVALID_TXN_STATE -> storage.error();
                case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE, INVALID_FETCH_SIZE ->
                    offsetCommit ? Errors.INVALID_COMMIT_OFFSET_SIZE : Errors.UNKNOWN_SERVER_ERROR;
                default -> {
                    LOG.warn("{} failed writing to __consumer_offsets: {}", operation, storage.toString());
                    yield Errors.UNKNOWN_SERVER_ERROR;
                }
            };
        }
        LOG.error("Unexpected error in {}", operation, cause);
        return Errors.UNKNOWN_SERVER_ERROR;
    }
}
