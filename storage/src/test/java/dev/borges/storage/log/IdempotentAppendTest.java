package dev.borges.storage.log;

import static dev.borges.storage.log.TestBatches.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.MockTime;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log and producer state together: what an idempotent producer (the Java client's default) sees. */
class IdempotentAppendTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final long PRODUCER = 4000L;

    @TempDir
    Path root;

    private final MockTime time = new MockTime(NOW);

    private PartitionLog open(LogStartState start) {
        return PartitionLog.open(root.resolve("orders-0"), LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "400")), start, time,
            PartitionLog::deleteNow);
    }

    /** A batch as the producer sends it, and again on a retry: same bytes each time. */
    private static MemoryRecords batch(short epoch, int sequence, int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(PRODUCER, epoch, sequence);
        for (int i = 0; i < count; i++) {
            builder.append(NOW, ("key-" + (sequence + i)).getBytes(), ("value-" + (sequence + i)).getBytes());
        }
        return builder.build();
    }

    @Test
    void aRetriedBatchGetsItsOriginalOffsetsAndIsNotWrittenTwice() {
        PartitionLog log = open(LogStartState.NEW);
        log.appendAsLeader(batch((short) 0, 0, 3), 0);
        LogAppendInfo second = log.appendAsLeader(batch((short) 0, 3, 2), 0);
        LogAppendInfo retry = log.appendAsLeader(batch((short) 0, 3, 2), 0);

        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(second.firstOffset());
        assertThat(retry.lastOffset()).isEqualTo(second.lastOffset());
        assertThat(log.logEndOffset()).isEqualTo(5);
        assertThat(readAll(log, 0)).hasSize(5).doesNotHaveDuplicates();
    }

    @Test
    void aGapInSequencesIsRefusedAndNothingWritten() {
        PartitionLog log = open(LogStartState.NEW);
        log.appendAsLeader(batch((short) 0, 0, 3), 0);
        assertThatThrownBy(() -> log.appendAsLeader(batch((short) 0, 5, 1), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.appendAsLeader(batch((short) 0, 3, 1), 0).firstOffset()).as("the right next batch still goes in").isEqualTo(3);
    }

    @Test
    void aFencedEpochIsRefused() {
        PartitionLog log = open(LogStartState.NEW);
        log.appendAsLeader(batch((short) 2, 0, 1), 0);
        assertThatThrownBy(() -> log.appendAsLeader(batch((short) 1, 1, 1), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH));
        assertThat(log.logEndOffset()).isEqualTo(1);
    }

    @Test
    void retriesAreStillRecognisedAfterACleanRestart() {
        PartitionLog log = open(LogStartState.NEW);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch((short) 0, i * 2, 2), 0);
        }
        log.close();
        PartitionLog reopened = open(new LogStartState(true, 20, 0, 20));
        LogAppendInfo retry = reopened.appendAsLeader(batch((short) 0, 18, 2), 0);
        assertThat(retry.duplicate()).isTrue();
        assertThat(retry.firstOffset()).isEqualTo(18);
        assertThatThrownBy(() -> reopened.appendAsLeader(batch((short) 0, 25, 1), 0))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        assertThat(reopened.appendAsLeader(batch((short) 0, 20, 1), 0).firstOffset()).isEqualTo(20);
    }

    @Test
    void producerStateIsRebuiltFromTheLogAfterACrash() {
        PartitionLog log = open(LogStartState.NEW);
        for (int i = 0; i < 10; i++) {
            log.appendAsLeader(batch((short) 0, i * 2, 2), 0);
        }
        assertThat(log.numberOfSegments()).as("snapshots were taken at rolls").isGreaterThan(1);
        // no close(): the process died; the recovery point is wherever the last roll left it
        PartitionLog recovered = open(new LogStartState(false, log.recoveryPoint(), 0, 0));
        assertThat(recovered.logEndOffset()).isEqualTo(20);
        assertThat(recovered.activeProducers()).containsKey(PRODUCER);
        assertThat(recovered.appendAsLeader(batch((short) 0, 18, 2), 0).duplicate()).isTrue();
        assertThat(recovered.appendAsLeader(batch((short) 0, 20, 1), 0).firstOffset()).isEqualTo(20);
    }

    @Test
    void truncationForgetsTheTruncatedBatches() {
        PartitionLog log = open(LogStartState.NEW);
        for (int i = 0; i < 5; i++) {
            log.appendAsLeader(batch((short) 0, i * 2, 2), 0);
        }
        log.truncateTo(6);
        // sequence 6 was truncated away: the producer's resend of it is new again, not a duplicate
        LogAppendInfo resend = log.appendAsLeader(batch((short) 0, 6, 2), 0);
        assertThat(resend.duplicate()).isFalse();
        assertThat(resend.firstOffset()).isEqualTo(6);
    }
}
