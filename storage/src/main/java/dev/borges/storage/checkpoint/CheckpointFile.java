package dev.borges.storage.checkpoint;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.TRUNCATE_EXISTING;
import static java.nio.file.StandardOpenOption.WRITE;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A small text file holding a versioned list of entries, one per line, always rewritten whole.
 * The mechanics shared by Borges' checkpoint files ({@link OffsetCheckpointFile},
 * {@link LeaderEpochCheckpointFile}); each of those supplies an {@link EntryFormat} for its lines.
 *
 * <h2>Format</h2>
 * The layout Kafka uses for its checkpoint files, UTF-8, each line ending in {@code '\n'}:
 * <pre>
 * 0          version: the only one there is
 * N          number of entries, decimal
 * entry      N lines, each written and parsed by the EntryFormat
 * </pre>
 * Nothing may follow the N entries. An empty file is malformed: writes are atomic (below), so a
 * file that exists always holds at least the two header lines.
 *
 * <h2>Atomic, durable writes</h2>
 * {@link #write} writes the whole content to {@code <name>.tmp} beside the file, fsyncs it, renames it
 * over the file (an atomic replace on POSIX file systems) and fsyncs the directory so the rename
 * itself survives a power cut. A crash at any point leaves either the old file or the new one,
 * never a torn mix; a stale {@code .tmp} left by a crash is ignored by {@link #read} and
 * overwritten by the next write.
 *
 * <h2>Errors</h2>
 * Any failure, I/O or malformed content, is a {@link StorageException} with
 * {@link Errors#KAFKA_STORAGE_ERROR}: the log directory cannot be trusted until someone looks.
 * Malformed content has a {@link MalformedCheckpointException} as cause, with the file, the line
 * number and what is wrong in the message.
 *
 * <p>Not thread-safe: concurrent writes of one file race on the {@code .tmp} file, so each owner
 * serialises its writes (the log manager's checkpoint task, the epoch cache's write lock).
 *
 * @param <T> the type of one entry
 */
public final class CheckpointFile<T> {
    /** The only version of the layout. */
    public static final int VERSION = 0;

    private static final String TMP_SUFFIX = ".tmp";

    private final Path file;
    private final EntryFormat<T> format;

    /**
     * How one entry becomes one line and back. Both directions throw
     * {@link IllegalArgumentException} saying what is wrong, in a few words that can follow
     * "line 3: ".
     */
    public interface EntryFormat<T> {
        /** The line for an entry, without line terminator; rejects an entry it could not read back. */
        String toLine(T entry);

        /** The entry a line holds. */
        T fromLine(String line);
    }

    public CheckpointFile(Path file, EntryFormat<T> format) {
        this.file = file;
        this.format = format;
    }

    public Path path() {
        return file;
    }

    /** The temporary file a write goes through. */
    Path tmpPath() {
        return file.resolveSibling(file.getFileName() + TMP_SUFFIX);
    }

    /**
     * Replaces the file's content with these entries, atomically and durably (see the class doc).
     * An entry the format rejects fails the write before any file is touched.
     *
     * @throws IllegalArgumentException if the format rejects an entry
     * @throws StorageException if the file could not be written; the old file is then intact
     */
    public void write(Collection<? extends T> entries) {
        byte[] content = render(entries);
        Path tmp = tmpPath();
        try {
            try (FileChannel channel = FileChannel.open(tmp, CREATE, WRITE, TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            // No fallback to a plain move: a non-atomic replace is exactly the torn file this class exists to prevent.
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            deleteAfterFailure(tmp, e);
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Failed to write checkpoint file " + file + ": " + e, e);
        }
    }

    /**
     * The entries of the file, in file order; empty if the file does not exist.
     *
     * @throws StorageException if the file cannot be read or is malformed
     */
    public List<T> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Failed to read checkpoint file " + file + ": " + e, e);
        }
        try {
            return parse(lines);
        } catch (MalformedCheckpointException e) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, e.getMessage(), e);
        }
    }

    private byte[] render(Collection<? extends T> entries) {
        StringBuilder text = new StringBuilder(32 + entries.size() * 32);
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (T entry : entries) {
            String line = format.toLine(entry);
            if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                // A format bug, but one that would make the file unreadable: refuse to write it.
                throw new IllegalArgumentException("Checkpoint line for " + entry + " contains a line break");
            }
            text.append(line).append('\n');
        }
        return text.toString().getBytes(UTF_8);
    }

    private List<T> parse(List<String> lines) throws MalformedCheckpointException {
        if (lines.isEmpty()) {
            throw malformed(1, "missing version line (the file is empty)");
        }
        int version = parseHeader(lines.get(0), 1, "version");
        if (version != VERSION) {
            throw malformed(1, "unsupported version " + version + " (expected " + VERSION + ")");
        }
        if (lines.size() < 2) {
            throw malformed(2, "missing entry count");
        }
        int count = parseHeader(lines.get(1), 2, "entry count");
        List<T> entries = new ArrayList<>(Math.min(count, lines.size()));
        for (int i = 0; i < count; i++) {
            int lineNumber = i + 3;
            if (lineNumber > lines.size()) {
                throw malformed(lineNumber, "expected " + count + " entries but the file ends after " + i);
            }
            try {
                entries.add(format.fromLine(lines.get(lineNumber - 1)));
            } catch (IllegalArgumentException e) {
                throw malformed(lineNumber, e.getMessage());
            }
        }
        if (lines.size() > count + 2) {
            throw malformed(count + 3, "expected " + count + " entries but the file has more lines");
        }
        return entries;
    }

    private int parseHeader(String line, int lineNumber, String what) throws MalformedCheckpointException {
        try {
            return LineFields.nonNegativeInt(line, what);
        } catch (IllegalArgumentException e) {
            throw malformed(lineNumber, e.getMessage());
        }
    }

    private MalformedCheckpointException malformed(int lineNumber, String problem) {
        return new MalformedCheckpointException(file, lineNumber, problem);
    }

    private static void syncDirectory(Path directory) throws IOException {
        // Opening a directory for reading and forcing it is how a JVM fsyncs a directory on Linux and macOS.
        try (FileChannel channel = FileChannel.open(directory, READ)) {
            channel.force(true);
        }
    }

    private static void deleteAfterFailure(Path tmp, IOException failure) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
