package dev.borges.storage.log;

import static dev.borges.storage.log.TestBatches.batch;
import static dev.borges.storage.log.TestBatches.expected;
import static dev.borges.storage.log.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.storage.MockTime;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An I/O error while writing (here: the segment file's channel failing under the log, as a dying
 * disk or a full file system would make it) takes the log offline; what was appended before stays
 * readable after a restart and the failed batch never becomes visible.
 */
class LogIoFailureTest {
    private static final long NOW = 1_700_000_000_000L;

    @TempDir
    Path root;

    @Test
    void aWriteErrorTakesTheLogOfflineAndLosesNothingAcknowledged() throws IOException {
        MockTime time = new MockTime(NOW);
        Path dir = root.resolve("payments-0");
        PartitionLog log = PartitionLog.open(dir, LogConfig.defaults(), LogStartState.NEW, time, PartitionLog::deleteNow);
        log.appendAsLeader(batch(0, 5, NOW), 0);
        log.flush(log.logEndOffset());

        // a slice shares the segment file's channel: closing it breaks the file under the log
        FileRecords file = (FileRecords) log.read(0, 1, FetchIsolation.LOG_END, true).records();
        file.channel().close();

        assertThatThrownBy(() -> log.appendAsLeader(batch(5, 3, NOW), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR));
        assertThat(log.isOffline()).isTrue();
        assertThat(log.logEndOffset()).as("the failed batch got no offsets").isEqualTo(5);
        assertThatThrownBy(() -> log.read(0, 100, FetchIsolation.LOG_END, false))
            .isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR);
                assertThat(e).hasMessageContaining("offline");
            });

        PartitionLog reopened = PartitionLog.open(dir, LogConfig.defaults(), new LogStartState(false, 5, 0, 5), time,
            PartitionLog::deleteNow);
        assertThat(reopened.logEndOffset()).isEqualTo(5);
        assertThat(readAll(reopened, 0)).containsExactlyElementsOf(expected(0, 0, 5));
        assertThat(reopened.appendAsLeader(batch(5, 1, NOW), 0).firstOffset()).isEqualTo(5);
    }
}
