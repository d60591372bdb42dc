package dev.borges.storage.producer;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer snapshot files of one partition directory: {@code <offset>.snapshot}, the offset
 * zero-padded to 20 digits as Kafka names them, so names sort by offset. Contents are {@link
 * ProducerSnapshotFormat}.
 *
 * <p>A snapshot is written to {@code <offset>.snapshot.tmp}, forced to disk, renamed over its final
 * name and the directory forced, so a crash leaves either the whole old state or the whole new file;
 * leftover temporary files are deleted when the directory is scanned. A snapshot that fails its
 * checks when read is deleted and the next older one is tried.
 *
 * <p>Owned by one {@link ProducerStateManager}; not thread-safe. I/O failures surface as {@link
 * StorageException} with {@code KAFKA_STORAGE_ERROR}.
 */
final class ProducerSnapshotFiles {
    static final String SUFFIX = ".snapshot";
    static final String TEMP_SUFFIX = SUFFIX + ".tmp";
    private static final int OFFSET_DIGITS = 20;
    private static final Logger LOG = LoggerFactory.getLogger(ProducerSnapshotFiles.class);

    private final TopicPartition topicPartition;
    private final Path directory;
    private final TreeMap<Long, Path> snapshots = new TreeMap<>();

    /** A snapshot read back: the producers it holds at its offset. */
    record Snapshot(long offset, List<ProducerStateEntry> producers) {
    }

    /** Scans {@code directory} (creating it if missing) for snapshots, deleting leftover temporary files. */
    ProducerSnapshotFiles(TopicPartition topicPartition, Path directory) {
        this.topicPartition = topicPartition;
        this.directory = directory;
        try {
            Files.createDirectories(directory);
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(TEMP_SUFFIX)) {
                        Files.deleteIfExists(file);
                    } else {
                        parseOffset(name).ifPresent(offset -> snapshots.put(offset, file));
                    }
                }
            }
        } catch (IOException e) {
            throw ioFailure("Scanning " + directory + " for producer snapshots", e);
        }
    }

    /** The file name of the snapshot at {@code offset}. */
    static String fileName(long offset) {
        return String.format("%0" + OFFSET_DIGITS + "d", offset) + SUFFIX;
    }

    /** The offset a snapshot file name stands for; empty for any other name. */
    static OptionalLong parseOffset(String fileName) {
        if (fileName.length() != OFFSET_DIGITS + SUFFIX.length() || !fileName.endsWith(SUFFIX)) {
            return OptionalLong.empty();
        }
        for (int i = 0; i < OFFSET_DIGITS; i++) {
            if (fileName.charAt(i) < '0' || fileName.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(fileName.substring(0, OFFSET_DIGITS)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty(); // 20 digits above Long.MAX_VALUE
        }
    }

    Path directory() {
        return directory;
    }

    /** Offsets of the snapshots on disk, ascending; a read-only view. */
    NavigableSet<Long> offsets() {
        return Collections.unmodifiableNavigableSet(snapshots.navigableKeySet());
    }

    OptionalLong latestOffset() {
        return snapshots.isEmpty() ? OptionalLong.empty() : OptionalLong.of(snapshots.lastKey());
    }

    OptionalLong oldestOffset() {
        return snapshots.isEmpty() ? OptionalLong.empty() : OptionalLong.of(snapshots.firstKey());
    }

    boolean contains(long offset) {
        return snapshots.containsKey(offset);
    }

    /** Writes the snapshot of {@code producers} at {@code offset} atomically, replacing any at that offset. */
    void write(long offset, Collection<ProducerStateEntry> producers) {
        Path target = directory.resolve(fileName(offset));
        Path temp = directory.resolve(fileName(offset) + ".tmp");
        ByteBuffer bytes = ByteBuffer.wrap(ProducerSnapshotFormat.encode(offset, producers));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            forceDirectory();
        } catch (IOException e) {
            deleteQuietly(temp);
            throw ioFailure("Writing producer snapshot " + target, e);
        }
        snapshots.put(offset, target);
    }

    /**
     * The newest snapshot at or below {@code maxOffset} that passes its checks. Snapshots that fail
     * them are deleted on the way, so they are not tried again.
     */
    Optional<Snapshot> readNewestValidAtOrBelow(long maxOffset) {
        List<Long> candidates = new ArrayList<>(snapshots.headMap(maxOffset, true).descendingKeySet());
        for (long offset : candidates) {
            Path file = snapshots.get(offset);
            try {
                return Optional.of(new Snapshot(offset, ProducerSnapshotFormat.decode(Files.readAllBytes(file), offset)));
            } catch (CorruptSnapshotException e) {
                LOG.warn("Deleting corrupt producer snapshot {} of {}: {}", file, topicPartition, e.getMessage());
                delete(offset);
            } catch (IOException e) {
                throw ioFailure("Reading producer snapshot " + file, e);
            }
        }
        return Optional.empty();
    }

    /** Deletes the snapshots above {@code offset}. */
    void deleteAbove(long offset) {
        deleteAll(snapshots.tailMap(offset, false).keySet());
    }

    /** Deletes the snapshots below {@code offset}. */
    void deleteBelow(long offset) {
        deleteAll(snapshots.headMap(offset, false).keySet());
    }

    /** Deletes all but the newest {@code count} snapshots and those for which {@code keep} holds. */
    void retainNewest(int count, java.util.function.LongPredicate keep) {
        List<Long> oldest = new ArrayList<>(snapshots.keySet());
        List<Long> doomed = new ArrayList<>(oldest.subList(0, Math.max(0, oldest.size() - count)));
        doomed.removeIf(keep::test);
        deleteAll(doomed);
    }

    void deleteAll() {
        deleteAll(snapshots.keySet());
    }

    private void deleteAll(Collection<Long> offsets) {
        for (long offset : new ArrayList<>(offsets)) {
            delete(offset);
        }
    }

    private void delete(long offset) {
        Path file = snapshots.remove(offset);
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw ioFailure("Deleting producer snapshot " + file, e);
        }
    }

    /** Makes the rename durable: a new directory entry is not on disk until the directory is forced. */
    private void forceDirectory() throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Could not delete {}", file, e);
        }
    }

    private StorageException ioFailure(String what, IOException e) {
        return new StorageException(Errors.KAFKA_STORAGE_ERROR, what + " of " + topicPartition + " failed: " + e, e);
    }
}
