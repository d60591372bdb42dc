package dev.borges.storage.cleaner;

import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.OffsetCheckpointFile;
import dev.borges.storage.log.PartitionLog;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleaner's checkpoints: for each compacted partition, the offset below which everything has
 * been through a cleaning pass (the start of its dirty section). One file per log directory, named
 * {@value #FILE_NAME} as in Kafka, in the {@link OffsetCheckpointFile} format
 * ({@code <topic> <partition> <offset>} lines); a partition's log directory is the parent of its
 * partition directory.
 *
 * <p>Each file is read once and then cached; every change rewrites it atomically. A file that
 * cannot be read is treated as empty (every log then starts again from its log start offset, which
 * costs a pass but loses nothing). Thread-safe: all methods synchronize on this instance; the
 * cleaner is the only writer of these files.
 */
final class CleanerCheckpoints {
    static final String FILE_NAME = "cleaner-offset-checkpoint";
    private static final Logger LOG = LoggerFactory.getLogger(CleanerCheckpoints.class);

    private final Map<Path, Map<TopicPartition, Long>> byLogDir = new HashMap<>();

    /** The checkpoint of {@code log}, if the cleaner has one. */
    synchronized OptionalLong get(PartitionLog log) {
        Long offset = offsets(logDir(log)).get(log.topicPartition());
        return offset == null ? OptionalLong.empty() : OptionalLong.of(offset);
    }

    /** Records that everything in {@code log} below {@code offset} has been cleaned. */
    synchronized void put(PartitionLog log, long offset) {
        Path logDir = logDir(log);
        Map<TopicPartition, Long> offsets = offsets(logDir);
        Long previous = offsets.put(log.topicPartition(), offset);
        if (previous == null || previous != offset) {
            write(logDir, offsets);
        }
    }

    /** Lowers the checkpoint to {@code offset} if it is above (the log was truncated below it). */
    synchronized void truncateTo(PartitionLog log, long offset) {
        Path logDir = logDir(log);
        Map<TopicPartition, Long> offsets = offsets(logDir);
        Long current = offsets.get(log.topicPartition());
        if (current != null && current > offset) {
            offsets.put(log.topicPartition(), offset);
            write(logDir, offsets);
        }
    }

    /** Forgets a partition (deleted, or moved to another log directory). */
    synchronized void remove(Path logDir, TopicPartition topicPartition) {
        Map<TopicPartition, Long> offsets = offsets(logDir.toAbsolutePath());
        if (offsets.remove(topicPartition) != null) {
            write(logDir.toAbsolutePath(), offsets);
        }
    }

    static Path logDir(PartitionLog log) {
        return log.dir().toAbsolutePath().getParent();
    }

    private Map<TopicPartition, Long> offsets(Path logDir) {
        return byLogDir.computeIfAbsent(logDir, dir -> {
            try {
                return new HashMap<>(file(dir).read());
            } catch (StorageException e) {
                LOG.warn("Ignoring the cleaner checkpoint {}: {}; compacted logs in {} will be cleaned from their start",
                    file(dir).path(), e.getMessage(), dir);
                return new HashMap<>();
            }
        });
    }

    private static void write(Path logDir, Map<TopicPartition, Long> offsets) {
        file(logDir).write(offsets);
    }

    private static OffsetCheckpointFile file(Path logDir) {
        return new OffsetCheckpointFile(logDir.resolve(FILE_NAME));
    }
}
