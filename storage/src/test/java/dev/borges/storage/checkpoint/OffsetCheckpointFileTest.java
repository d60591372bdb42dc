package dev.borges.storage.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OffsetCheckpointFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsOffsetsOfManyPartitions() {
        OffsetCheckpointFile checkpoint = OffsetCheckpointFile.recoveryPoints(dir);
        Map<TopicPartition, Long> offsets = Map.of(
            new TopicPartition("orders", 0), 0L,
            new TopicPartition("orders", 11), 1_048_576L,
            new TopicPartition("orders-eu.west_2", 3), Long.MAX_VALUE,
            new TopicPartition("__consumer_offsets", 49), 7L);

        checkpoint.write(offsets);

        assertThat(checkpoint.read()).isEqualTo(offsets);
    }

    @Test
    void writesKafkaLayoutInTopicThenPartitionOrder() throws IOException {
        OffsetCheckpointFile checkpoint = OffsetCheckpointFile.highWatermarks(dir);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        offsets.put(new TopicPartition("b", 10), 5L);
        offsets.put(new TopicPartition("b", 9), 4L);
        offsets.put(new TopicPartition("a", 0), 3L);

        checkpoint.write(offsets);

        assertThat(Files.readString(dir.resolve("replication-offset-checkpoint"))).isEqualTo("0\n3\na 0 3\nb 9 4\nb 10 5\n");
    }

    @Test
    void readsFileInKafkaLayout() throws IOException {
        Path file = dir.resolve(OffsetCheckpointFile.REPLICATION_OFFSET);
        try (InputStream fixture = getClass().getResourceAsStream("/checkpoint/kafka-layout/replication-offset-checkpoint")) {
            Files.copy(fixture, file);
        }

        assertThat(OffsetCheckpointFile.highWatermarks(dir).read()).containsExactly(
            Map.entry(new TopicPartition("__consumer_offsets", 17), 42L),
            Map.entry(new TopicPartition("orders", 0), 1_048_576L),
            Map.entry(new TopicPartition("orders.eu-west", 12), 0L));
    }

    @Test
    void usesKafkaFileNames() {
        assertThat(OffsetCheckpointFile.recoveryPoints(dir).path()).isEqualTo(dir.resolve("recovery-point-offset-checkpoint"));
        assertThat(OffsetCheckpointFile.highWatermarks(dir).path()).isEqualTo(dir.resolve("replication-offset-checkpoint"));
        assertThat(OffsetCheckpointFile.logStartOffsets(dir).path()).isEqualTo(dir.resolve("log-start-offset-checkpoint"));
    }

    @Test
    void readsEmptyMapWhenFileIsMissing() {
        assertThat(OffsetCheckpointFile.logStartOffsets(dir).read()).isEmpty();
    }

    static Stream<Arguments> malformedLines() {
        return Stream.of(
            Arguments.of("orders 0", "expected '<topic> <partition> <offset>' but found 'orders 0'"),
            Arguments.of("orders 0 5 6", "expected '<topic> <partition> <offset>' but found 'orders 0 5 6'"),
            Arguments.of("orders  0 5", "expected '<topic> <partition> <offset>' but found 'orders  0 5'"),
            Arguments.of("orders 0 5 ", "expected '<topic> <partition> <offset>' but found 'orders 0 5 '"),
            Arguments.of("orders\t0\t5", "expected '<topic> <partition> <offset>' but found 'orders\t0\t5'"),
            Arguments.of("orders x 5", "partition 'x' is not a decimal int"),
            Arguments.of("orders -1 5", "partition -1 is negative"),
            Arguments.of("orders 0 -5", "offset -5 is negative"),
            Arguments.of("orders 0 5x", "offset '5x' is not a decimal long"),
            Arguments.of("orders 0 99999999999999999999", "offset '99999999999999999999' is not a decimal long"));
    }

    @ParameterizedTest
    @MethodSource("malformedLines")
    void rejectsMalformedEntryLineNamingLineAndProblem(String line, String problem) throws IOException {
        Path file = dir.resolve(OffsetCheckpointFile.RECOVERY_POINT);
        Files.writeString(file, "0\n2\ngood 1 1\n" + line + "\n");

        assertThatThrownBy(() -> OffsetCheckpointFile.recoveryPoints(dir).read())
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR))
            .hasMessage("Malformed checkpoint file " + file + ", line 4: " + problem)
            .hasCauseInstanceOf(MalformedCheckpointException.class);
    }

    @Test
    void rejectsFileListingAPartitionTwice() throws IOException {
        Path file = dir.resolve(OffsetCheckpointFile.RECOVERY_POINT);
        Files.writeString(file, "0\n3\norders 0 5\norders 1 5\norders 0 7\n");

        assertThatThrownBy(() -> OffsetCheckpointFile.recoveryPoints(dir).read())
            .isInstanceOf(StorageException.class)
            .hasMessage("Malformed checkpoint file " + file + ": partition orders-0 appears more than once");
    }

    @Test
    void refusesToWriteTopicWithWhitespaceAndKeepsOldFile() {
        OffsetCheckpointFile checkpoint = OffsetCheckpointFile.recoveryPoints(dir);
        checkpoint.write(Map.of(new TopicPartition("orders", 0), 5L));

        assertThatThrownBy(() -> checkpoint.write(Map.of(new TopicPartition("bad topic", 0), 5L)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'bad topic' contains whitespace");
        assertThat(checkpoint.read()).containsExactly(Map.entry(new TopicPartition("orders", 0), 5L));
    }

    @Test
    void refusesToWriteNegativeOffset() {
        OffsetCheckpointFile checkpoint = OffsetCheckpointFile.recoveryPoints(dir);

        assertThatThrownBy(() -> checkpoint.write(Map.of(new TopicPartition("orders", 2), -1L)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Offset -1 of orders-2 is negative");
        assertThat(checkpoint.path()).doesNotExist();
    }

    @Test
    void keepsOldFileWhenWriteFails() throws IOException {
        OffsetCheckpointFile checkpoint = OffsetCheckpointFile.recoveryPoints(dir);
        checkpoint.write(Map.of(new TopicPartition("orders", 0), 5L));
        Files.createDirectories(dir.resolve("recovery-point-offset-checkpoint.tmp").resolve("blocker"));

        assertThatThrownBy(() -> checkpoint.write(Map.of(new TopicPartition("orders", 0), 9L)))
            .isInstanceOf(StorageException.class);
        assertThat(checkpoint.read()).containsExactly(Map.entry(new TopicPartition("orders", 0), 5L));
    }
}
