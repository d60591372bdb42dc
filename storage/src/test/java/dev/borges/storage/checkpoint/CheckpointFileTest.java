package dev.borges.storage.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The shared mechanics: header, entry count, atomic replacement. Entry lines are tested with each file kind. */
class CheckpointFileTest {
    /** Entries are single words; a word with a digit in it is "malformed", to exercise entry errors. */
    private static final CheckpointFile.EntryFormat<String> WORDS = new CheckpointFile.EntryFormat<>() {
        @Override
        public String toLine(String entry) {
            return entry;
        }

        @Override
        public String fromLine(String line) {
            if (line.chars().anyMatch(Character::isDigit)) {
                throw new IllegalArgumentException("word '" + line + "' has a digit");
            }
            return line;
        }
    };

    @TempDir
    Path dir;

    private CheckpointFile<String> checkpoint() {
        return new CheckpointFile<>(dir.resolve("words-checkpoint"), WORDS);
    }

    @Test
    void writesVersionCountAndOneLinePerEntry() throws IOException {
        checkpoint().write(List.of("alpha", "beta"));

        assertThat(Files.readString(dir.resolve("words-checkpoint"))).isEqualTo("0\n2\nalpha\nbeta\n");
    }

    @Test
    void readsBackWhatItWroteInOrder() {
        CheckpointFile<String> checkpoint = checkpoint();
        checkpoint.write(List.of("zeta", "alpha", "mu"));

        assertThat(checkpoint.read()).containsExactly("zeta", "alpha", "mu");
    }

    @Test
    void roundTripsNoEntries() throws IOException {
        CheckpointFile<String> checkpoint = checkpoint();
        checkpoint.write(List.of());

        assertThat(Files.readString(checkpoint.path())).isEqualTo("0\n0\n");
        assertThat(checkpoint.read()).isEmpty();
    }

    @Test
    void readsNothingWhenFileIsMissing() {
        assertThat(checkpoint().read()).isEmpty();
        assertThat(dir.resolve("words-checkpoint")).doesNotExist();
    }

    @Test
    void acceptsWindowsLineEndings() throws IOException {
        Files.writeString(dir.resolve("words-checkpoint"), "0\r\n1\r\nalpha\r\n");

        assertThat(checkpoint().read()).containsExactly("alpha");
    }

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
            Arguments.of("", 1, "missing version line (the file is empty)"),
            Arguments.of("1\n0\n", 1, "unsupported version 1 (expected 0)"),
            Arguments.of("-1\n0\n", 1, "version -1 is negative"),
            Arguments.of("v0\n0\n", 1, "version 'v0' is not a decimal int"),
            Arguments.of(" 0\n0\n", 1, "version ' 0' is not a decimal int"),
            Arguments.of("0\n", 2, "missing entry count"),
            Arguments.of("0\ntwo\nalpha\nbeta\n", 2, "entry count 'two' is not a decimal int"),
            Arguments.of("0\n-1\n", 2, "entry count -1 is negative"),
            Arguments.of("0\n3\nalpha\nbeta\n", 5, "expected 3 entries but the file ends after 2"),
            Arguments.of("0\n1\n", 3, "expected 1 entries but the file ends after 0"),
            Arguments.of("0\n1\nalpha\nbeta\n", 4, "expected 1 entries but the file has more lines"),
            Arguments.of("0\n1\nalpha\n\n", 4, "expected 1 entries but the file has more lines"),
            Arguments.of("0\n2\nalpha\nbe7a\n", 4, "word 'be7a' has a digit"));
    }

    @ParameterizedTest
    @MethodSource("malformedFiles")
    void rejectsMalformedFileNamingFileLineAndProblem(String content, int line, String problem) throws IOException {
        Path file = dir.resolve("words-checkpoint");
        Files.writeString(file, content);

        assertThatThrownBy(() -> checkpoint().read())
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR))
            .hasMessage("Malformed checkpoint file " + file + ", line " + line + ": " + problem)
            .cause()
            .isInstanceOfSatisfying(MalformedCheckpointException.class, e -> {
                assertThat(e.file()).isEqualTo(file);
                assertThat(e.lineNumber()).isEqualTo(line);
            });
    }

    @Test
    void rejectsFileThatIsNotUtf8() throws IOException {
        Path file = dir.resolve("words-checkpoint");
        Files.write(file, new byte[] {'0', '\n', '1', '\n', (byte) 0xC3, (byte) 0x28, '\n'});

        assertThatThrownBy(() -> checkpoint().read())
            .isInstanceOf(StorageException.class)
            .hasMessageStartingWith("Failed to read checkpoint file " + file);
    }

    @Test
    void leavesNoTmpFileBehindAfterWrite() throws IOException {
        CheckpointFile<String> checkpoint = checkpoint();
        checkpoint.write(List.of("alpha"));
        checkpoint.write(List.of("beta"));

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(checkpoint.path());
        }
        assertThat(checkpoint.tmpPath()).isEqualTo(dir.resolve("words-checkpoint.tmp"));
    }

    @Test
    void keepsOldFileWhenWriteFails() throws IOException {
        CheckpointFile<String> checkpoint = checkpoint();
        checkpoint.write(List.of("old"));
        // A non-empty directory where the temporary file goes: opening it for writing fails, and so does deleting it.
        Files.createDirectories(checkpoint.tmpPath().resolve("blocker"));

        assertThatThrownBy(() -> checkpoint.write(List.of("new")))
            .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.KAFKA_STORAGE_ERROR))
            .hasMessageStartingWith("Failed to write checkpoint file " + checkpoint.path());
        assertThat(Files.readString(checkpoint.path())).isEqualTo("0\n1\nold\n");
        assertThat(checkpoint.read()).containsExactly("old");
    }

    @Test
    void removesTmpFileWhenRenameFails() throws IOException {
        CheckpointFile<String> checkpoint = checkpoint();
        // A non-empty directory in place of the checkpoint itself: the tmp file is written, the rename over it fails.
        Files.createDirectories(checkpoint.path().resolve("blocker"));

        assertThatThrownBy(() -> checkpoint.write(List.of("new"))).isInstanceOf(StorageException.class);
        assertThat(checkpoint.tmpPath()).doesNotExist();
        assertThat(checkpoint.path().resolve("blocker")).isDirectory();
    }

    @Test
    void failsWhenDirectoryIsMissing() {
        CheckpointFile<String> checkpoint = new CheckpointFile<>(dir.resolve("gone").resolve("words-checkpoint"), WORDS);

        assertThatThrownBy(() -> checkpoint.write(List.of("alpha")))
            .isInstanceOf(StorageException.class)
            .hasMessageContaining(checkpoint.path().toString());
    }

    @Test
    void replacesStaleTmpFileLeftByACrash() throws IOException {
        CheckpointFile<String> checkpoint = checkpoint();
        Files.writeString(checkpoint.tmpPath(), "0\n9\ntorn and much longer than what comes next");

        checkpoint.write(List.of("alpha"));

        assertThat(checkpoint.read()).containsExactly("alpha");
        assertThat(checkpoint.tmpPath()).doesNotExist();
    }

    @Test
    void readIgnoresTmpFileOfAnUnfinishedWrite() throws IOException {
        CheckpointFile<String> checkpoint = checkpoint();
        checkpoint.write(List.of("old"));
        // A crash after writing the tmp file but before the rename.
        Files.writeString(checkpoint.tmpPath(), "0\n1\nnew\n", UTF_8);

        assertThat(checkpoint.read()).containsExactly("old");
    }

    @Test
    void rejectsEntryWithLineBreakBeforeTouchingTheFile() throws IOException {
        CheckpointFile<String> checkpoint = checkpoint();
        checkpoint.write(List.of("old"));

        assertThatThrownBy(() -> checkpoint.write(List.of("two\nlines")))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("line break");
        assertThat(checkpoint.read()).containsExactly("old");
        assertThat(checkpoint.tmpPath()).doesNotExist();
    }
}
