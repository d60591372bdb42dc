package dev.borges.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.metadata.record.TopicRecord;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Ratis state machine below the controller: batches apply whole or not at all, also on replay. */
class MetadataStateMachineTest {
    private static final Uuid FOO = new Uuid(1, 1);
    private static final Uuid BAR = new Uuid(2, 2);

    @TempDir
    Path dir;

    private RaftMetadataLog open(MetadataStateMachine stateMachine) throws Exception {
        RaftMetadataLog log = RaftMetadataLog.open(ControllerConfig.builder(1, dir).build(), stateMachine);
        stateMachine.leaderReady().get(30, TimeUnit.SECONDS);
        return log;
    }

    @Test
    void skipsABatchThatDoesNotReplayAndKeepsSkippingItAfterRestart() throws Exception {
        MetadataImage before;
        MetadataStateMachine stateMachine = new MetadataStateMachine();
        try (RaftMetadataLog log = open(stateMachine)) {
            long index = log.append(List.of(new TopicRecord("foo", FOO),
                new PartitionRecord(FOO, 0, List.of(1), List.of(1), 1, 0, 0))).get(30, TimeUnit.SECONDS);
            assertThat(index).isPositive();
            before = stateMachine.image();

            // A valid TopicRecord followed by a partition of an unknown topic: nothing of it applies.
            var broken = log.append(List.of(new TopicRecord("bar", BAR),
                new PartitionRecord(new Uuid(7, 7), 0, List.of(1), List.of(1), 1, 0, 0)));
            assertThatThrownBy(() -> broken.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ControllerException.class)
                .hasMessageContaining("rejected on replay")
                .satisfies(e -> assertThat(((ControllerException) e).error()).isEqualTo(Errors.UNKNOWN_SERVER_ERROR));
            assertThat(stateMachine.image()).isEqualTo(before);
            assertThat(stateMachine.image().topics().topic("bar")).isNull();

            log.append(List.of(new TopicRecord("bar", BAR))).get(30, TimeUnit.SECONDS);
            before = stateMachine.image();
        }
        MetadataStateMachine reopened = new MetadataStateMachine();
        try (RaftMetadataLog log = open(reopened)) {
            assertThat(reopened.image()).isEqualTo(before);
            assertThat(log.address().getPort()).isPositive();
        }
    }
}
