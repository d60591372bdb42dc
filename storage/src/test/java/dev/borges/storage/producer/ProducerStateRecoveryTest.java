package dev.borges.storage.producer;

import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.APPENDED;
import static dev.borges.storage.producer.ProducerStateTestContext.Outcome.Kind.DUPLICATE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.storage.producer.ProducerStateTestContext.Outcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** After a crash or a truncation, snapshot plus replay gives back exactly the state the log implies. */
class ProducerStateRecoveryTest {
    @TempDir
    Path directory;

    private ProducerStateTestContext context;

    @BeforeEach
    void setUp() {
        context = new ProducerStateTestContext(directory);
    }

    @Test
    void stateRebuiltFromSnapshotAndReplayEqualsTheStateBeforeTheCrash() {
        appendRounds(0, 4);
        context.manager.takeSnapshot();
        long snapshotOffset = context.manager.mapEndOffset();
        appendRounds(4, 9);
        Map<Long, ProducerStateEntry> beforeCrash = context.manager.activeProducers();
        long endBeforeCrash = context.manager.mapEndOffset();

        context.crashAndRecover();

        assertThat(context.manager.latestSnapshotOffset()).hasValue(snapshotOffset);
        assertThat(context.manager.activeProducers()).isEqualTo(beforeCrash);
        assertThat(context.manager.mapEndOffset()).isEqualTo(endBeforeCrash);
    }

    @Test
    void stateRebuiltByReplayingTheWholeLogWhenThereIsNoSnapshot() {
        appendRounds(0, 9);
        Map<Long, ProducerStateEntry> beforeCrash = context.manager.activeProducers();

        context.crashAndRecover();

        assertThat(context.manager.snapshotOffsets()).isEmpty();
        assertThat(context.manager.activeProducers()).isEqualTo(beforeCrash);
    }

    @Test
    void retryAfterARestartIsStillAnsweredWithTheOriginalOffsets() {
        context.appendAsLeader(1L, 0, 0, 2);
        Outcome original = context.appendAsLeader(1L, 0, 2, 2);
        context.manager.takeSnapshot();

        context.crashAndRecover();

        Outcome retry = context.appendAsLeader(1L, 0, 2, 2);
        assertThat(retry.kind()).isEqualTo(DUPLICATE);
        assertThat(retry.firstOffset()).isEqualTo(original.firstOffset());
        assertThat(retry.lastOffset()).isEqualTo(original.lastOffset());
    }

    @Test
    void truncatingTheLogTailForgetsTheTruncatedBatchesSoTheyCanBeWrittenAgain() {
        context.appendAsLeader(1L, 0, 0, 5);
        context.manager.takeSnapshot();
        context.appendAsLeader(1L, 0, 5, 5);
        context.appendAsLeader(1L, 0, 10, 5);

        context.truncateLogTo(10);

        assertThat(context.manager.lastEntry(1L).orElseThrow().lastSequence()).isEqualTo(9);
        assertThat(context.manager.mapEndOffset()).isEqualTo(10);
        assertThat(context.appendAsLeader(1L, 0, 10, 5)).extracting(Outcome::kind, Outcome::firstOffset)
            .containsExactly(APPENDED, 10L);
    }

    @Test
    void truncatingBelowEverySnapshotRebuildsFromTheLogStart() {
        context.appendAsLeader(1L, 0, 0, 5);
        context.appendAsLeader(1L, 0, 5, 5);
        context.manager.takeSnapshot();
        context.appendAsLeader(1L, 0, 10, 5);

        context.truncateLogTo(5);

        assertThat(context.manager.snapshotOffsets()).isEmpty();
        assertThat(context.manager.lastEntry(1L).orElseThrow().lastSequence()).isEqualTo(4);
    }

    @Test
    void reloadAtTheCurrentEndKeepsTheStateInMemory() {
        context.appendAsLeader(1L, 0, 0, 5);
        context.manager.takeSnapshot();
        context.appendAsLeader(1L, 0, 5, 5);
        Map<Long, ProducerStateEntry> before = context.manager.activeProducers();

        context.manager.truncateAndReload(0, context.logEndOffset(), context.time.milliseconds());

        assertThat(context.manager.activeProducers()).isEqualTo(before);
        assertThat(context.manager.mapEndOffset()).isEqualTo(10);
    }

    /** Three producers, one batch each per round, with an epoch bump for producer 2 at round 5. */
    private void appendRounds(int from, int to) {
        for (int round = from; round < to; round++) {
            context.time.sleep(100);
            context.appendAsLeader(1L, 0, round * 3, 3);
            context.appendAsLeader(2L, round < 5 ? 0 : 1, round < 5 ? round : round - 5, 1);
            context.appendAsLeader(3L, 7, Integer.MAX_VALUE - 10 + round * 2, 2);
        }
    }
}
