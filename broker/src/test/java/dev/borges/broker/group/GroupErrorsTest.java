package dev.borges.broker.group;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class GroupErrorsTest {

    @Test
    void answersAnOffsetCommitTooLargeToAppendWithInvalidCommitOffsetSize() {
        CompletionException tooLarge = new CompletionException(new StorageException(Errors.RECORD_LIST_TOO_LARGE, "too large"));

        assertThat(GroupErrors.toError(tooLarge, "OffsetCommit", true)).isEqualTo(Errors.INVALID_COMMIT_OFFSET_SIZE);
        assertThat(GroupErrors.toError(tooLarge, "DeleteGroups")).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
    }
}
