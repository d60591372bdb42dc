package dev.borges.storage.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A checkpoint file's content does not follow its format: the cause of the
 * {@link dev.borges.storage.StorageException} that {@link CheckpointFile#read()} throws, so a caller
 * can tell a corrupt file from a failing disk.
 */
public final class MalformedCheckpointException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int lineNumber;

    public MalformedCheckpointException(Path file, int lineNumber, String problem) {
        super("Malformed checkpoint file " + file + ", line " + lineNumber + ": " + problem);
        this.file = file;
        this.lineNumber = lineNumber;
    }

    public Path file() {
        return file;
    }

    /** The line at fault, counting from 1. */
    public int lineNumber() {
        return lineNumber;
    }
}
