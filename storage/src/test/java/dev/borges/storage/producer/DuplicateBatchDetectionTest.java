package dev.borges.storage.producer;

import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.APPENDED;
import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.DUPLICATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.producer.ProducerStateTestContext.Outcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retries of a producer's recent batches are recognised and answered with the original offsets. */
class DuplicateBatchDetectionTest {
    private static final long PID = 77L;
    private static final int BATCH_RECORDS = 3;

    @TempDir
    Path directory;

    private ProducerStateTestContext context;
    private final List<Outcome> originals = new ArrayList<>();

    @BeforeEach
    void appendSixBatchesAtDifferentTimes() {
        context = new ProducerStateTestContext(directory);
        for (int i = 0; i < 6; i++) {
            originals.add(context.appendAsLeader(PID, 0, i * BATCH_RECORDS, BATCH_RECORDS));
            context.time.sleep(1_000);
        }
    }

    @ParameterizedTest(name = "batch {0} of the last five")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void retryOfAnyOfTheLastFiveBatchesGetsItsOriginalOffsetsAndTimestamp(int index) {
        long endBefore = context.logEndOffset();

        Outcome retry = context.appendAsLeader(PID, 0, index * BATCH_RECORDS, BATCH_RECORDS);

        Outcome original = originals.get(index);
        assertThat(retry.kind()).isEqualTo(DUPLICATE);
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset());
        assertThat(retry.lastOffset()).isEqualTo(original.lastOffset());
        assertThat(retry.timestamp()).isEqualTo(original.timestamp());
        assertThat(context.logEndOffset()).isEqualTo(endBefore);
        assertThat(context.batchesInLog()).isEqualTo(6);
    }

    @Test
    void retryOfTheSixthNewestBatchIsNotRecognisedAndIsOutOfOrder() {
        Outcome retry = context.appendAsLeader(PID, 0, 0, BATCH_RECORDS);

        assertThat(retry.error()).isEqualTo(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(context.batchesInLog()).isEqualTo(6);
    }

    @Test
    void batchWithTheSameFirstSequenceButAnotherLengthIsNotARetry() {
        Outcome other = context.appendAsLeader(PID, 0, 5 * BATCH_RECORDS, BATCH_RECORDS + 1);

        assertThat(other.kind()).isNotEqualTo(DUPLICATE);
    }

    @Test
    void retryFromAnEarlierEpochIsFencedNotAnsweredAsDuplicate() {
        context.appendAsLeader(PID, 1, 0, BATCH_RECORDS);

        Outcome zombie = context.appendAsLeader(PID, 0, 5 * BATCH_RECORDS, BATCH_RECORDS);

        assertThat(zombie.error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void firstBatchOfANewEpochWithTheSequencesOfARecentBatchIsNotADuplicate() {
        context.appendAsLeader(PID + 5, 0, 0, BATCH_RECORDS);

        Outcome bumped = context.appendAsLeader(PID + 5, 1, 0, BATCH_RECORDS);

        assertThat(bumped.kind()).isEqualTo(APPENDED);
        assertThat(bumped.firstOffset()).isEqualTo(6L * BATCH_RECORDS + BATCH_RECORDS);
    }

    @Test
    void anotherProducersBatchWithTheSameSequencesIsNotADuplicate() {
        assertThat(context.appendAsLeader(PID + 1, 0, 0, BATCH_RECORDS).kind()).isEqualTo(APPENDED);
    }

    @Test
    void batchWithoutProducerIdIsNeverADuplicate() {
        RecordBatch plain = new RecordBatchBuilder(0).append(1L, null, new byte[1]).build().batches().iterator().next();

        assertThat(context.manager.findDuplicateBatch(plain)).isEmpty();
    }
}
