package dev.borges.storage.epoch;

import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.LeaderEpochCheckpointFile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader-epoch cache of one partition (KIP-101): for each leader epoch whose leader wrote to
 * the log, the offset of the first record written in that epoch. Replication uses it to answer
 * OffsetsForLeaderEpoch ({@link #endOffsetFor}), so that after a leader change a follower truncates
 * to exactly the point where its log diverged from the new leader's, and consumers use the same
 * answer to detect truncation (KIP-320).
 *
 * <h2>Invariant</h2>
 * Entries ascend strictly in both epoch and start offset. {@link #assign} keeps it the way Kafka
 * does: a new entry whose epoch is not above the latest, or whose start offset is not above the
 * latest entry's, first removes every later entry it conflicts with (epoch &ge; its epoch, or start
 * offset &ge; its start offset), logging a warning unless the removal is the expected case of an
 * epoch in which nothing was written. Because both orders agree, "the entry for an offset" is the
 * one with the greatest start offset not above it.
 *
 * <h2>Persistence and lifecycle</h2>
 * Created by {@link #open}, which loads the {@link LeaderEpochCheckpointFile} through the same
 * rules. Every change is flushed to the checkpoint before it becomes visible: a change is applied
 * to a copy of the entries, the copy is written (atomic, fsynced), and only then published. A
 * failed flush therefore throws {@link StorageException} and leaves the cache as it was, so memory
 * is never ahead of disk. (Kafka flushes truncations asynchronously and relies on log recovery to
 * redo them; flushing synchronously keeps one rule here, at the cost of an fsync per truncation,
 * which only happens on leader changes and retention.)
 *
 * <h2>Threading</h2>
 * Thread-safe. Readers take the current immutable snapshot and never block, not even during a
 * flush; writers (the append path, replica fetchers, retention) are serialised by a lock that is
 * held across the flush so two writes never race on the checkpoint file.
 */
public final class LeaderEpochCache {
    private static final Logger log = LoggerFactory.getLogger(LeaderEpochCache.class);

    private final TopicPartition topicPartition;
    private final LeaderEpochCheckpointFile checkpoint;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Immutable; replaced whole by each change, after the change is on disk. */
    private volatile NavigableMap<Integer, EpochEntry> epochs;

    private LeaderEpochCache(TopicPartition topicPartition, LeaderEpochCheckpointFile checkpoint, NavigableMap<Integer, EpochEntry> epochs) {
        this.topicPartition = topicPartition;
        this.checkpoint = checkpoint;
        this.epochs = epochs;
    }

    /**
     * The cache of a partition, loaded from its checkpoint file (empty if the file does not exist).
     * Entries in the file that break the invariant are resolved as {@link #assign} would, and the
     * file rewritten if that changed anything.
     *
     * @throws StorageException if the checkpoint cannot be read, is malformed, or cannot be rewritten
     */
    public static LeaderEpochCache open(TopicPartition topicPartition, LeaderEpochCheckpointFile checkpoint) {
        List<EpochEntry> stored = checkpoint.read();
        TreeMap<Integer, EpochEntry> loaded = new TreeMap<>();
        for (EpochEntry entry : stored) {
            assignTo(topicPartition, loaded, entry);
        }
        if (!new ArrayList<>(loaded.values()).equals(stored)) {
            log.warn("[LeaderEpochCache {}] Checkpoint {} held conflicting entries {}; rewriting it as {}",
                topicPartition, checkpoint.path(), stored, loaded.values());
            checkpoint.write(loaded.values());
        }
        return new LeaderEpochCache(topicPartition, checkpoint, Collections.unmodifiableNavigableMap(loaded));
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    /**
     * Records that the leader of {@code epoch} wrote its first record at {@code startOffset}.
     * Ignored if {@code epoch} is already the latest epoch and starts at or below {@code startOffset};
     * otherwise conflicting later entries are removed first (see the class doc). Kafka does the
     * same: the latest epoch at a lower start offset replaces the latest entry.
     *
     * @throws IllegalArgumentException if the epoch or the start offset is negative
     * @throws StorageException if the change could not be flushed; the cache is then unchanged
     */
    public void assign(int epoch, long startOffset) {
        EpochEntry entry = new EpochEntry(epoch, startOffset);
        if (!isUpdateNeeded(epochs, entry)) {
            return; // the common case on every append: no lock, no copy
        }
        update(next -> {
            boolean changed = assignTo(topicPartition, next, entry);
            if (changed) {
                log.debug("[LeaderEpochCache {}] Appended {}; {} entries", topicPartition, entry, next.size());
            }
            return changed;
        });
    }

    /** The latest epoch with an entry, if any. */
    public OptionalInt latestEpoch() {
        Map.Entry<Integer, EpochEntry> last = epochs.lastEntry();
        return last == null ? OptionalInt.empty() : OptionalInt.of(last.getKey());
    }

    public Optional<EpochEntry> latestEntry() {
        return Optional.ofNullable(epochs.lastEntry()).map(Map.Entry::getValue);
    }

    public Optional<EpochEntry> earliestEntry() {
        return Optional.ofNullable(epochs.firstEntry()).map(Map.Entry::getValue);
    }

    /**
     * The epoch in which {@code offset} was written: that of the entry with the greatest start
     * offset not above it. Empty if the offset is below the earliest entry (or there are none).
     */
    public OptionalInt epochForOffset(long offset) {
        for (EpochEntry entry : epochs.descendingMap().values()) {
            if (entry.startOffset() <= offset) {
                return OptionalInt.of(entry.epoch());
            }
        }
        return OptionalInt.empty();
    }

    /** A copy of the entries, ascending. */
    public List<EpochEntry> epochEntries() {
        return List.copyOf(epochs.values());
    }

    /**
     * OffsetsForLeaderEpoch for {@code requestedEpoch}: the largest known epoch &le; the requested one,
     * and the offset where it ends, which is the start offset of the next higher known epoch.
     * <ul>
     *   <li>the latest epoch: ({@code requestedEpoch}, {@code logEndOffset}) — it is still open;</li>
     *   <li>below the earliest known epoch: ({@code requestedEpoch}, start offset of the earliest
     *       entry). This is Kafka's answer since 2.1 (KAFKA-7415; before, it was undefined): the
     *       older epochs' data is gone (retention), and a follower or consumer should resume from
     *       where the leader's log starts rather than fall back to its high watermark;</li>
     *   <li>above the latest epoch, an undefined (negative) epoch, or an empty cache:
     *       {@link EpochEndOffset#UNDEFINED}.</li>
     * </ul>
     */
    public EpochEndOffset endOffsetFor(int requestedEpoch, long logEndOffset) {
        NavigableMap<Integer, EpochEntry> snapshot = epochs;
        EpochEndOffset result;
        if (requestedEpoch < 0 || snapshot.isEmpty()) {
            result = EpochEndOffset.UNDEFINED;
        } else if (requestedEpoch == snapshot.lastKey()) {
            result = new EpochEndOffset(requestedEpoch, logEndOffset);
        } else {
            Map.Entry<Integer, EpochEntry> next = snapshot.higherEntry(requestedEpoch);
            if (next == null) {
                result = EpochEndOffset.UNDEFINED;
            } else {
                Integer floor = snapshot.floorKey(requestedEpoch);
                result = new EpochEndOffset(floor == null ? requestedEpoch : floor, next.getValue().startOffset());
            }
        }
        log.trace("[LeaderEpochCache {}] End offset for epoch {}: {}", topicPartition, requestedEpoch, result);
        return result;
    }

    /**
     * Removes the entries starting at or after {@code endOffset}: the log was truncated to end there
     * (a follower truncating to the leader's log). No-op for a negative offset.
     *
     * @throws StorageException if the change could not be flushed; the cache is then unchanged
     */
    public void truncateFromEnd(long endOffset) {
        if (endOffset < 0) {
            return;
        }
        update(next -> {
            List<EpochEntry> removed = removeWhile(next.descendingMap().values().iterator(), e -> e.startOffset() >= endOffset);
            if (removed.isEmpty()) {
                return false;
            }
            log.info("[LeaderEpochCache {}] Removed {} after truncating the log to end offset {}; {} entries left",
                topicPartition, removed, endOffset, next.size());
            return true;
        });
    }

    /**
     * The log now starts at {@code startOffset} (retention, DeleteRecords): removes the entries that
     * lie wholly below it and moves the start of the entry that straddles it to {@code startOffset},
     * so the earliest entry never starts before the log. An entry starting exactly at
     * {@code startOffset} is kept. No-op for a negative offset.
     *
     * @throws StorageException if the change could not be flushed; the cache is then unchanged
     */
    public void truncateFromStart(long startOffset) {
        if (startOffset < 0) {
            return;
        }
        update(next -> {
            // Remove every entry starting at or below the new start; the last one removed is the
            // epoch that contains startOffset, and it comes back starting there.
            List<EpochEntry> removed = removeWhile(next.values().iterator(), e -> e.startOffset() <= startOffset);
            if (removed.isEmpty()) {
                return false;
            }
            EpochEntry containing = removed.get(removed.size() - 1);
            EpochEntry moved = new EpochEntry(containing.epoch(), startOffset);
            next.put(moved.epoch(), moved);
            if (removed.size() == 1 && containing.equals(moved)) {
                return false; // the earliest entry already started exactly there
            }
            log.info("[LeaderEpochCache {}] Removed {} and started {} after the log start moved to {}; {} entries left",
                topicPartition, removed, moved, startOffset, next.size());
            return true;
        });
    }

    /**
     * Removes every entry and flushes the now empty checkpoint.
     *
     * @throws StorageException if the change could not be flushed; the cache is then unchanged
     */
    public void clearAndFlush() {
        update(next -> {
            next.clear();
            log.info("[LeaderEpochCache {}] Cleared", topicPartition);
            return true;
        });
    }

    /** A change applied to a copy of the entries; returns whether it changed anything. */
    private interface Change {
        boolean applyTo(TreeMap<Integer, EpochEntry> next);
    }

    private void update(Change change) {
        writeLock.lock();
        try {
            TreeMap<Integer, EpochEntry> next = new TreeMap<>(epochs);
            if (change.applyTo(next)) {
                checkpoint.write(next.values());
                epochs = Collections.unmodifiableNavigableMap(next);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private static boolean isUpdateNeeded(NavigableMap<Integer, EpochEntry> epochs, EpochEntry entry) {
        Map.Entry<Integer, EpochEntry> last = epochs.lastEntry();
        return last == null || entry.epoch() != last.getKey() || entry.startOffset() < last.getValue().startOffset();
    }

    /**
     * The rule of {@link #assign}, on a map being built: puts the entry after removing the later
     * entries it conflicts with, unless it is ignored. Returns whether the map changed.
     */
    private static boolean assignTo(TopicPartition topicPartition, TreeMap<Integer, EpochEntry> epochs, EpochEntry entry) {
        if (!isUpdateNeeded(epochs, entry)) {
            return false;
        }
        List<EpochEntry> removed = removeWhile(epochs.descendingMap().values().iterator(),
            e -> e.epoch() >= entry.epoch() || e.startOffset() >= entry.startOffset());
        epochs.put(entry.epoch(), entry);
        // Replacing one entry at the same start offset is expected: its leader wrote nothing before
        // the next epoch began. Anything else means this replica had diverged; say so.
        if (removed.size() > 1 || (removed.size() == 1 && removed.get(0).startOffset() != entry.startOffset())) {
            log.warn("[LeaderEpochCache {}] New entry {} removed conflicting entries {}; {} entries now",
                topicPartition, entry, removed, epochs.size());
        }
        return true;
    }

    /** Removes entries from the iterator's start for as long as they match; returns them in iteration order. */
    private static List<EpochEntry> removeWhile(Iterator<EpochEntry> entries, Predicate<EpochEntry> matches) {
        List<EpochEntry> removed = new ArrayList<>();
        while (entries.hasNext()) {
            EpochEntry entry = entries.next();
            if (!matches.test(entry)) {
                break;
            }
            removed.add(entry);
            entries.remove();
        }
        return removed;
    }
}
