package dev.borges.storage.checkpoint;

import dev.borges.storage.StorageException;
import dev.borges.storage.epoch.EpochEntry;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * The {@value #FILE_NAME} file in a partition's directory: the start offset of each leader epoch,
 * persisted for {@link dev.borges.storage.epoch.LeaderEpochCache}.
 *
 * <h2>Format</h2>
 * A {@link CheckpointFile} (version line, count line, then the entries) whose entry lines are
 * <pre>
 * &lt;epoch&gt; &lt;startOffset&gt;     e.g.  7 1048576
 * </pre>
 * separated by a single space, both non-negative decimals, in the order given to {@link #write}
 * (the cache writes ascending epochs). The file does not check that order on read: the cache
 * loads entries through its own conflict rules.
 *
 * <p>Not thread-safe; its one {@link dev.borges.storage.epoch.LeaderEpochCache} serialises writes.
 */
public final class LeaderEpochCheckpointFile {
    public static final String FILE_NAME = "leader-epoch-checkpoint";

    private static final String LAYOUT = "<epoch> <startOffset>";

    private final CheckpointFile<EpochEntry> file;

    public LeaderEpochCheckpointFile(Path file) {
        this.file = new CheckpointFile<>(file, new Format());
    }

    /** The checkpoint of the partition whose log is in {@code partitionDir}. */
    public static LeaderEpochCheckpointFile inPartitionDirectory(Path partitionDir) {
        return new LeaderEpochCheckpointFile(partitionDir.resolve(FILE_NAME));
    }

    public Path path() {
        return file.path();
    }

    /**
     * Replaces the file with these entries, atomically and durably.
     *
     * @throws StorageException if the file could not be written; the old file is then intact
     */
    public void write(Collection<EpochEntry> entries) {
        file.write(entries);
    }

    /**
     * The entries in file order; empty if the file does not exist.
     *
     * @throws StorageException if the file cannot be read or is malformed
     */
    public List<EpochEntry> read() {
        return file.read();
    }

    private static final class Format implements CheckpointFile.EntryFormat<EpochEntry> {
        @Override
        public String toLine(EpochEntry entry) {
            return entry.epoch() + " " + entry.startOffset();
        }

        @Override
        public EpochEntry fromLine(String line) {
            String[] fields = LineFields.split(line, 2, LAYOUT);
            return new EpochEntry(LineFields.nonNegativeInt(fields[0], "epoch"), LineFields.nonNegativeLong(fields[1], "start offset"));
        }
    }
}
