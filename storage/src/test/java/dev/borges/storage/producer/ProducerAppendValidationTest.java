package dev.borges.storage.producer;

import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.APPENDED;
import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.REJECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.StorageException;
import dev.borges.storage.producer.ProducerStateTestContext.Outcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The epoch and sequence rules a client's batch must pass, and what replicated batches skip. */
class ProducerAppendValidationTest {
    private static final long PID = 1000L;

    @TempDir
    Path directory;

    private ProducerStateTestContext context;

    @BeforeEach
    void setUp() {
        context = new ProducerStateTestContext(directory);
    }

    @Test
    void acceptsInOrderBatchesAtConsecutiveOffsets() {
        assertThat(context.appendAsLeader(PID, 0, 0, 3)).isEqualTo(Outcome.appended(0, 2, ProducerStateTestContext.START_MS));
        assertThat(context.appendAsLeader(PID, 0, 3, 2).firstOffset()).isEqualTo(3);
        assertThat(context.appendAsLeader(PID, 0, 5, 1).lastOffset()).isEqualTo(5);

        ProducerStateEntry entry = context.manager.lastEntry(PID).orElseThrow();
        assertThat(entry.producerEpoch()).isEqualTo((short) 0);
        assertThat(entry.lastSequence()).isEqualTo(5);
        assertThat(entry.lastDataOffset()).isEqualTo(5);
        assertThat(context.manager.mapEndOffset()).isEqualTo(6);
    }

    @Test
    void acceptsAnyFirstSequenceFromProducerWithNoState() {
        assertThat(context.appendAsLeader(PID, 4, 42, 2).kind()).isEqualTo(APPENDED);

        assertThat(context.manager.lastEntry(PID).orElseThrow().lastSequence()).isEqualTo(43);
    }

    @Test
    void rejectsSequenceGapWithOutOfOrderSequenceNamingProducerEpochAndSequences() {
        context.appendAsLeader(PID, 2, 0, 3);

        Outcome gap = context.appendAsLeader(PID, 2, 4, 1);

        assertThat(gap.kind()).isEqualTo(REJECTED);
        assertThat(gap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(gap.message()).contains("Producer " + PID, "epoch 2", "sequence 4", "after sequence 2", "expected 3");
    }

    @Test
    void rejectsOverlappingSequenceThatIsNotARetry() {
        context.appendAsLeader(PID, 0, 0, 3);

        Outcome overlap = context.appendAsLeader(PID, 0, 1, 3);

        assertThat(overlap.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void rejectsStaleEpochWithInvalidProducerEpoch() {
        context.appendAsLeader(PID, 5, 0, 1);

        Outcome stale = context.appendAsLeader(PID, 4, 1, 1);

        assertThat(stale.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(stale.message()).contains("Producer " + PID, "epoch 4", "sequence 1", "current epoch 5");
    }

    @Test
    void acceptsHigherEpochStartingAtSequenceZero() {
        context.appendAsLeader(PID, 0, 0, 10);

        assertThat(context.appendAsLeader(PID, 1, 0, 1).kind()).isEqualTo(APPENDED);

        ProducerStateEntry entry = context.manager.lastEntry(PID).orElseThrow();
        assertThat(entry.producerEpoch()).isEqualTo((short) 1);
        assertThat(entry.batches()).hasSize(1);
    }

    @Test
    void rejectsHigherEpochNotStartingAtSequenceZero() {
        context.appendAsLeader(PID, 0, 0, 10);

        Outcome bumped = context.appendAsLeader(PID, 1, 10, 1);

        assertThat(bumped.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(bumped.message()).contains("Producer " + PID, "epoch 1", "current 0", "sequence 10");
    }

    @Test
    void acceptsHigherEpochAtAnySequenceOnceTheProducerExpired() {
        ProducerStateTestContext shortLived = new ProducerStateTestContext(directory, new ProducerStateConfig(1_000));
        shortLived.appendAsLeader(PID, 0, 0, 10);
        shortLived.time.sleep(1_000);
        shortLived.manager.removeExpiredProducers(shortLived.time.milliseconds());

        assertThat(shortLived.appendAsLeader(PID, 1, 10, 1).kind()).isEqualTo(APPENDED);
    }

    @Test
    void sequenceWrapsFromMaxValueToZero() {
        context.appendAsLeader(PID, 0, Integer.MAX_VALUE - 1, 2);

        assertThat(context.manager.lastEntry(PID).orElseThrow().lastSequence()).isEqualTo(Integer.MAX_VALUE);
        assertThat(context.appendAsLeader(PID, 0, 0, 1).kind()).isEqualTo(APPENDED);
        assertThat(context.appendAsLeader(PID, 0, 1, 1).kind()).isEqualTo(APPENDED);
    }

    @Test
    void batchSpanningMaxValueIsFollowedByItsWrappedLastSequence() {
        context.appendAsLeader(PID, 0, Integer.MAX_VALUE - 1, 4);

        assertThat(context.manager.lastEntry(PID).orElseThrow().lastSequence()).isEqualTo(1);
        assertThat(context.appendAsLeader(PID, 0, 0, 1).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(context.appendAsLeader(PID, 0, 2, 1).kind()).isEqualTo(APPENDED);
    }

    @Test
    void doesNotTreatMaxValueAsFollowedByAnythingButZero() {
        context.appendAsLeader(PID, 0, Integer.MAX_VALUE, 1);

        assertThat(context.appendAsLeader(PID, 0, Integer.MIN_VALUE, 1).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(context.appendAsLeader(PID, 0, 1, 1).error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
    }

    @Test
    void rejectedBatchLeavesManagerUnchanged() {
        context.appendAsLeader(PID, 3, 0, 2);
        Map<Long, ProducerStateEntry> before = context.manager.activeProducers();
        long mapEndBefore = context.manager.mapEndOffset();

        ProducerAppendInfo info = context.manager.prepareUpdate(PID, AppendOrigin.CLIENT);
        assertThatThrownBy(() -> info.append(context.batch(PID, 3, 7, 1), mapEndBefore))
            .isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));

        assertThat(context.manager.activeProducers()).isEqualTo(before);
        assertThat(context.manager.mapEndOffset()).isEqualTo(mapEndBefore);
        assertThat(info.toEntry()).isEqualTo(before.get(PID));
    }

    @Test
    void laterBatchOfTheSameAppendMustFollowTheEarlierOne() {
        ProducerAppendInfo info = context.manager.prepareUpdate(PID, AppendOrigin.CLIENT);
        info.append(context.batch(PID, 0, 0, 2), 0);

        assertThatThrownBy(() -> info.append(context.batch(PID, 0, 5, 1), 2))
            .isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER));
        info.append(context.batch(PID, 0, 2, 1), 2);
        context.manager.update(info);

        assertThat(context.manager.lastEntry(PID).orElseThrow().batches())
            .extracting(BatchMetadata::firstSequence).containsExactly(0, 2);
    }

    @Test
    void replicatedBatchesSkipSequenceAndEpochChecks() {
        context.appendAsFollower(context.batch(PID, 3, 0, 1));

        assertThat(context.appendAsFollower(context.batch(PID, 3, 50, 1)).kind()).isEqualTo(APPENDED);
        assertThat(context.appendAsFollower(context.batch(PID, 5, 9, 1)).kind()).isEqualTo(APPENDED);
        assertThat(context.appendAsFollower(context.batch(PID, 4, 0, 1)).kind()).isEqualTo(APPENDED);

        ProducerStateEntry entry = context.manager.lastEntry(PID).orElseThrow();
        assertThat(entry.producerEpoch()).isEqualTo((short) 4);
        assertThat(entry.lastSequence()).isEqualTo(0);
    }

    @Test
    void logRecoverySkipsSequenceChecks() {
        context.appendAsLeader(PID, 0, 0, 1);
        ProducerAppendInfo info = context.manager.prepareUpdate(PID, AppendOrigin.LOG_RECOVERY);

        info.append(context.batch(PID, 0, 77, 1), 1);
        context.manager.update(info);

        assertThat(context.manager.lastEntry(PID).orElseThrow().lastSequence()).isEqualTo(77);
    }

    @Test
    void updateRefusesAnAppendPreparedAgainstStateThatHasSinceChanged() {
        ProducerAppendInfo first = context.manager.prepareUpdate(PID, AppendOrigin.CLIENT);
        ProducerAppendInfo second = context.manager.prepareUpdate(PID, AppendOrigin.CLIENT);
        first.append(context.batch(PID, 0, 0, 1), 0);
        second.append(context.batch(PID, 0, 0, 1), 1);
        context.manager.update(first);

        assertThatThrownBy(() -> context.manager.update(second)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void updateRefusesBatchesBelowTheMapEndOffset() {
        context.appendAsLeader(PID, 0, 0, 5);
        ProducerAppendInfo info = context.manager.prepareUpdate(PID, AppendOrigin.LOG_RECOVERY);
        info.append(context.batch(PID, 0, 5, 1), 2);

        assertThatThrownBy(() -> context.manager.update(info)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void mapEndOffsetNeverMovesBackWithoutTruncation() {
        context.appendAsLeader(PID, 0, 0, 5);

        assertThatThrownBy(() -> context.manager.updateMapEndOffset(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBatchesWithoutProducerId() {
        assertThatThrownBy(() -> context.manager.prepareUpdate(RecordBatch.NO_PRODUCER_ID, AppendOrigin.CLIENT))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aControlBatchThatIsNoTransactionMarkerIsRefusedFromACoordinatorAndSkippedInReplay() {
        RecordBatch leaderChange = new RecordBatchBuilder(0).producer(PID, (short) 0, RecordBatch.NO_SEQUENCE)
            .transactional(true).controlBatch(true)
            .appendControlRecord(1L, ControlRecordType.LEADER_CHANGE, new byte[6])
            .build().batches().iterator().next();

        ProducerAppendInfo coordinator = context.manager.prepareUpdate(PID, AppendOrigin.COORDINATOR);
        assertThatThrownBy(() -> coordinator.append(leaderChange, 0)).isInstanceOf(StorageException.class)
            .extracting(e -> ((StorageException) e).error()).isEqualTo(Errors.CORRUPT_MESSAGE);

        ProducerAppendInfo replay = context.manager.prepareUpdate(PID, AppendOrigin.LOG_RECOVERY);
        assertThat(replay.append(leaderChange, 0)).isEmpty();
        context.manager.update(replay);
        assertThat(context.manager.lastEntry(PID)).isEmpty();
    }

    @Test
    void batchWithoutProducerIdLeavesProducerStateAlone() {
        RecordBatch plain = new RecordBatchBuilder(0).append(1L, null, new byte[1]).build().batches().iterator().next();

        assertThat(context.appendAsLeader(plain).kind()).isEqualTo(APPENDED);
        assertThat(context.manager.producerCount()).isZero();
        assertThat(context.manager.mapEndOffset()).isEqualTo(1);
    }
}
