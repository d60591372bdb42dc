package dev.borges.storage.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import dev.borges.storage.epoch.EpochEntry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeaderEpochCheckpointFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEntriesInOrder() {
        LeaderEpochCheckpointFile checkpoint = LeaderEpochCheckpointFile.inPartitionDirectory(dir);
        List<EpochEntry> entries = List.of(new EpochEntry(0, 0), new EpochEntry(3, 100), new EpochEntry(Integer.MAX_VALUE, Long.MAX_VALUE));

        checkpoint.write(entries);

        assertThat(checkpoint.read()).isEqualTo(entries);
    }

    @Test
    void writesKafkaLayout() throws IOException {
        LeaderEpochCheckpointFile.inPartitionDirectory(dir).write(List.of(new EpochEntry(1, 0), new EpochEntry(4, 250)));

        assertThat(Files.readString(dir.resolve("leader-epoch-checkpoint"))).isEqualTo("0\n2\n1 0\n4 250\n");
    }

    @Test
    void readsFileInKafkaLayout() throws IOException {
        try (InputStream fixture = getClass().getResourceAsStream("/checkpoint/kafka-layout/leader-epoch-checkpoint")) {
            Files.copy(fixture, dir.resolve(LeaderEpochCheckpointFile.FILE_NAME));
        }

        assertThat(LeaderEpochCheckpointFile.inPartitionDirectory(dir).read())
            .containsExactly(new EpochEntry(0, 0), new EpochEntry(2, 1500), new EpochEntry(5, 1_048_576));
    }

    @Test
    void readsEmptyListWhenFileIsMissing() {
        assertThat(LeaderEpochCheckpointFile.inPartitionDirectory(dir).read()).isEmpty();
    }

    static Stream<Arguments> malformedLines() {
        return Stream.of(
            Arguments.of("3", "expected '<epoch> <startOffset>' but found '3'"),
            Arguments.of("3 10 20", "expected '<epoch> <startOffset>' but found '3 10 20'"),
            Arguments.of("3 10 ", "expected '<epoch> <startOffset>' but found '3 10 '"),
            Arguments.of("-1 10", "epoch -1 is negative"),
            Arguments.of("x 10", "epoch 'x' is not a decimal int"),
            Arguments.of("3 -10", "start offset -10 is negative"),
            Arguments.of("3 ten", "start offset 'ten' is not a decimal long"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void rejectsMalformedEntryLineNamingLineAndProblem(String line, String problem) throws IOException {
        Path file = dir.resolve(LeaderEpochCheckpointFile.FILE_NAME);
        Files.writeString(file, "0\n2\n1 0\n" + line + "\n");

        assertThatThrownBy(() -> LeaderEpochCheckpointFile.inPartitionDirectory(dir).read())
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR))
            .hasMessage("Malformed checkpoint file " + file + ", line 4: " + problem)
            .hasCauseInstanceOf(MalformedCheckpointException.class);
    }

    @Test
    void keepsOldFileWhenWriteFails() throws IOException {
        LeaderEpochCheckpointFile checkpoint = LeaderEpochCheckpointFile.inPartitionDirectory(dir);
        checkpoint.write(List.of(new EpochEntry(1, 0)));
        Files.createDirectories(dir.resolve("leader-epoch-checkpoint.tmp").resolve("blocker"));

        assertThatThrownBy(() -> checkpoint.write(List.of(new EpochEntry(1, 0), new EpochEntry(2, 10))))
            .isInstanceOf(StorageException.class);
        assertThat(checkpoint.read()).containsExactly(new EpochEntry(1, 0));
    }
}
