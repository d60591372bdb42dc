package dev.borges.storage.checkpoint;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One offset per partition, for all partitions of a log directory: the three per-directory
 * checkpoints Kafka keeps, with Kafka's file names.
 * <ul>
 *   <li>{@value #RECOVERY_POINT} — offset below which a log is known flushed, so recovery after a
 *       crash only rereads segments from there;</li>
 *   <li>{@value #REPLICATION_OFFSET} — the high watermark of each partition;</li>
 *   <li>{@value #LOG_START_OFFSET} — the log start offset, when retention or DeleteRecords moved it
 *       into the middle of a segment.</li>
 * </ul>
 *
 * <h2>Format</h2>
 * A {@link CheckpointFile} (version line, count line, then the entries) whose entry lines are
 * <pre>
 * &lt;topic&gt; &lt;partition&gt; &lt;offset&gt;     e.g.  orders 3 1048576
 * </pre>
 * separated by single spaces, partition and offset non-negative decimals. Written in topic then
 * partition order, so files diff well. Kafka topic names never contain whitespace; a topic that
 * does is rejected on write.
 *
 * <p>Not thread-safe; the log manager's periodic checkpoint task is the only writer of each file.
 */
public final class OffsetCheckpointFile {
    public static final String RECOVERY_POINT = "recovery-point-offset-checkpoint";
    public static final String REPLICATION_OFFSET = "replication-offset-checkpoint";
    public static final String LOG_START_OFFSET = "log-start-offset-checkpoint";

    private static final String LAYOUT = "<topic> <partition> <offset>";
    private static final Comparator<Map.Entry<TopicPartition, Long>> FILE_ORDER =
        Comparator.comparing((Map.Entry<TopicPartition, Long> e) -> e.getKey().topic())
            .thenComparingInt(e -> e.getKey().partition());

    private final CheckpointFile<Map.Entry<TopicPartition, Long>> file;

    public OffsetCheckpointFile(Path file) {
        this.file = new CheckpointFile<>(file, new Format());
    }

    /** The recovery points of the partitions in a log directory. */
    public static OffsetCheckpointFile recoveryPoints(Path logDir) {
        return new OffsetCheckpointFile(logDir.resolve(RECOVERY_POINT));
    }

    /** The high watermarks of the partitions in a log directory. */
    public static OffsetCheckpointFile highWatermarks(Path logDir) {
        return new OffsetCheckpointFile(logDir.resolve(REPLICATION_OFFSET));
    }

    /** The log start offsets of the partitions in a log directory. */
    public static OffsetCheckpointFile logStartOffsets(Path logDir) {
        return new OffsetCheckpointFile(logDir.resolve(LOG_START_OFFSET));
    }

    public Path path() {
        return file.path();
    }

    /**
     * Replaces the file with these offsets, atomically and durably.
     *
     * @throws IllegalArgumentException for a negative offset or a topic containing whitespace
     * @throws StorageException if the file could not be written; the old file is then intact
     */
    public void write(Map<TopicPartition, Long> offsets) {
        List<Map.Entry<TopicPartition, Long>> entries = offsets.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue()))
            .sorted(FILE_ORDER)
            .toList();
        file.write(entries);
    }

    /**
     * The offsets in the file; empty if it does not exist.
     *
     * @throws StorageException if the file cannot be read, is malformed, or lists a partition twice
     */
    public Map<TopicPartition, Long> read() {
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (Map.Entry<TopicPartition, Long> entry : file.read()) {
            if (offsets.putIfAbsent(entry.getKey(), entry.getValue()) != null) {
                throw new StorageException(Errors.KAFKA_STORAGE_ERROR,
                    "Malformed checkpoint file " + file.path() + ": partition " + entry.getKey() + " appears more than once");
            }
        }
        return Collections.unmodifiableMap(offsets);
    }

    private static final class Format implements CheckpointFile.EntryFormat<Map.Entry<TopicPartition, Long>> {
        @Override
        public String toLine(Map.Entry<TopicPartition, Long> entry) {
            TopicPartition partition = entry.getKey();
            long offset = entry.getValue();
            if (partition.topic().chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("Topic '" + partition.topic() + "' contains whitespace and cannot be checkpointed");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("Offset " + offset + " of " + partition + " is negative");
            }
            return partition.topic() + " " + partition.partition() + " " + offset;
        }

        @Override
        public Map.Entry<TopicPartition, Long> fromLine(String line) {
            String[] fields = LineFields.split(line, 3, LAYOUT);
            int partition = LineFields.nonNegativeInt(fields[1], "partition");
            long offset = LineFields.nonNegativeLong(fields[2], "offset");
            return Map.entry(new TopicPartition(fields[0], partition), offset);
        }
    }
}
