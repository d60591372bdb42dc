package dev.borges.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class CoordinatorErrorsTest {

    @Test
    void answersTheCoordinatorsOwnErrorAsItIs() {
        CoordinatorException loading = new CoordinatorException(Errors.COORDINATOR_LOAD_IN_PROGRESS, "loading");

        assertThat(CoordinatorErrors.toError(new CompletionException(loading), "__transaction_state", "EndTxn"))
            .isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
    }

    @Test
    void mapsAppendErrorsSoClientsRetry() {
        assertThat(toError(Errors.NOT_ENOUGH_REPLICAS)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
        assertThat(toError(Errors.NOT_LEADER_OR_FOLLOWER)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(toError(Errors.INVALID_PRODUCER_EPOCH)).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(toError(Errors.MESSAGE_TOO_LARGE)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(toError(Errors.CORRUPT_MESSAGE)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }

    private static Errors toError(Errors appendError) {
        return CoordinatorErrors.toError(new StorageException(appendError, "append failed"), "__consumer_offsets", "OffsetCommit");
    }
}
