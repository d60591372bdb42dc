package dev.borges.storage.epoch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.LeaderEpochCheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {
    private static final TopicPartition PARTITION = new TopicPartition("orders", 3);

    @TempDir
    Path dir;

    private LeaderEpochCheckpointFile checkpoint() {
        return LeaderEpochCheckpointFile.inPartitionDirectory(dir);
    }

    private LeaderEpochCache open() {
        return LeaderEpochCache.open(PARTITION, checkpoint());
    }

    /** A cache holding these (epoch, startOffset) pairs, assigned in order. */
    private LeaderEpochCache cacheWith(long... epochAndOffsets) {
        LeaderEpochCache cache = open();
        for (int i = 0; i < epochAndOffsets.length; i += 2) {
            cache.assign((int) epochAndOffsets[i], epochAndOffsets[i + 1]);
        }
        return cache;
    }

    private static List<EpochEntry> entries(long... epochAndOffsets) {
        List<EpochEntry> entries = new ArrayList<>();
        for (int i = 0; i < epochAndOffsets.length; i += 2) {
            entries.add(new EpochEntry((int) epochAndOffsets[i], epochAndOffsets[i + 1]));
        }
        return entries;
    }

    private static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, "unix:ino").get("ino");
    }

    @Test
    void startsEmptyWithoutCheckpointFile() {
        LeaderEpochCache cache = open();

        assertThat(cache.epochEntries()).isEmpty();
        assertThat(cache.latestEpoch()).isEmpty();
        assertThat(cache.latestEntry()).isEmpty();
        assertThat(cache.earliestEntry()).isEmpty();
        assertThat(cache.epochForOffset(0)).isEmpty();
        assertThat(cache.endOffsetFor(0, 10)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(checkpoint().path()).doesNotExist();
    }

    @Test
    void assignAppendsEntryAndFlushesIt() {
        LeaderEpochCache cache = cacheWith(0, 0, 2, 100);

        assertThat(cache.epochEntries()).isEqualTo(entries(0, 0, 2, 100));
        assertThat(checkpoint().read()).isEqualTo(entries(0, 0, 2, 100));
    }

    @Test
    void assignIgnoresLatestEpochAtSameOrHigherOffset() throws IOException {
        LeaderEpochCache cache = cacheWith(1, 10);
        Object flushed = inode(checkpoint().path());

        cache.assign(1, 15);
        cache.assign(1, 10);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 10));
        // Every flush renames a new file into place, so an unchanged inode means no flush happened.
        assertThat(inode(checkpoint().path())).isEqualTo(flushed);
    }

    @Test
    void assignOfLatestEpochAtLowerOffsetMovesItsStart() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 20);

        cache.assign(2, 15);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 2, 15));
    }

    @Test
    void assignOfLowerEpochRemovesLaterEpochs() {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10, 4, 20);

        cache.assign(2, 25);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 2, 25));
        assertThat(checkpoint().read()).isEqualTo(entries(1, 0, 2, 25));
    }

    @Test
    void assignAtLowerStartOffsetRemovesEntriesStartingAtOrAfterIt() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10, 3, 20, 4, 30);

        cache.assign(5, 15);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 2, 10, 5, 15));
    }

    @Test
    void assignAtSameStartOffsetReplacesEpochThatWroteNothing() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10);

        cache.assign(3, 10);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 3, 10));
    }

    @Test
    void assignRejectsNegativeEpochOrOffset() {
        LeaderEpochCache cache = cacheWith(1, 0);

        assertThatThrownBy(() -> cache.assign(-1, 5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cache.assign(2, -5)).isInstanceOf(IllegalArgumentException.class);
        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0));
    }

    @Test
    void latestAndEarliestEntriesAreTheEnds() {
        LeaderEpochCache cache = cacheWith(1, 5, 4, 50, 6, 60);

        assertThat(cache.earliestEntry()).contains(new EpochEntry(1, 5));
        assertThat(cache.latestEntry()).contains(new EpochEntry(6, 60));
        assertThat(cache.latestEpoch()).isEqualTo(OptionalInt.of(6));
    }

    @Test
    void epochForOffsetIsEpochOfLastEntryStartingAtOrBeforeIt() {
        LeaderEpochCache cache = cacheWith(1, 5, 4, 50, 6, 60);

        assertThat(cache.epochForOffset(4)).isEmpty();
        assertThat(cache.epochForOffset(5)).hasValue(1);
        assertThat(cache.epochForOffset(49)).hasValue(1);
        assertThat(cache.epochForOffset(50)).hasValue(4);
        assertThat(cache.epochForOffset(59)).hasValue(4);
        assertThat(cache.epochForOffset(60)).hasValue(6);
        assertThat(cache.epochForOffset(Long.MAX_VALUE)).hasValue(6);
    }

    @Test
    void epochEntriesIsACopy() {
        LeaderEpochCache cache = cacheWith(1, 0);
        List<EpochEntry> before = cache.epochEntries();

        cache.assign(2, 10);

        assertThat(before).isEqualTo(entries(1, 0));
        assertThatThrownBy(() -> before.add(new EpochEntry(9, 99))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void endOffsetForLatestEpochIsLogEndOffset() {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10);

        assertThat(cache.endOffsetFor(3, 42)).isEqualTo(new EpochEndOffset(3, 42));
    }

    @Test
    void endOffsetForEpochIsStartOfNextEpoch() {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10, 5, 20);

        assertThat(cache.endOffsetFor(1, 42)).isEqualTo(new EpochEndOffset(1, 10));
        assertThat(cache.endOffsetFor(3, 42)).isEqualTo(new EpochEndOffset(3, 20));
    }

    @Test
    void endOffsetForUnknownEpochIsThatOfLargestEpochBelowIt() {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10, 5, 20);

        assertThat(cache.endOffsetFor(2, 42)).isEqualTo(new EpochEndOffset(1, 10));
        assertThat(cache.endOffsetFor(4, 42)).isEqualTo(new EpochEndOffset(3, 20));
    }

    @Test
    void endOffsetForEpochBelowEarliestIsStartOfEarliestEntry() {
        LeaderEpochCache cache = cacheWith(3, 10, 5, 20);

        assertThat(cache.endOffsetFor(0, 42)).isEqualTo(new EpochEndOffset(0, 10));
        assertThat(cache.endOffsetFor(2, 42)).isEqualTo(new EpochEndOffset(2, 10));
    }

    @Test
    void endOffsetForEpochAboveLatestIsUndefined() {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10);

        assertThat(cache.endOffsetFor(4, 42)).isEqualTo(EpochEndOffset.UNDEFINED);
        assertThat(cache.endOffsetFor(4, 42).isUndefined()).isTrue();
    }

    @Test
    void endOffsetForUndefinedEpochIsUndefined() {
        LeaderEpochCache cache = cacheWith(1, 0, 3, 10);

        assertThat(cache.endOffsetFor(EpochEndOffset.UNDEFINED_EPOCH, 42))
            .isEqualTo(new EpochEndOffset(-1, -1L));
    }

    @Test
    void endOffsetForOnlyEpochIsLogEndOffset() {
        LeaderEpochCache cache = cacheWith(7, 0);

        assertThat(cache.endOffsetFor(7, 5)).isEqualTo(new EpochEndOffset(7, 5));
        assertThat(cache.endOffsetFor(6, 5)).isEqualTo(new EpochEndOffset(6, 0));
    }

    @Test
    void truncateFromEndRemovesEntriesStartingAtOrAfterEndOffset() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10, 3, 20, 4, 30);

        cache.truncateFromEnd(20);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 2, 10));
        assertThat(checkpoint().read()).isEqualTo(entries(1, 0, 2, 10));
        assertThat(cache.endOffsetFor(2, 20)).isEqualTo(new EpochEndOffset(2, 20));
    }

    @Test
    void truncateFromEndInsideLatestEpochKeepsIt() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10);

        cache.truncateFromEnd(11);
        cache.truncateFromEnd(-1);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 2, 10));
    }

    @Test
    void truncateFromEndToZeroRemovesEverything() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10);

        cache.truncateFromEnd(0);

        assertThat(cache.epochEntries()).isEmpty();
        assertThat(checkpoint().read()).isEmpty();
    }

    @Test
    void truncateFromStartMovesStraddlingEntryToNewStart() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10, 3, 20);

        cache.truncateFromStart(15);

        assertThat(cache.epochEntries()).isEqualTo(entries(2, 15, 3, 20));
        assertThat(checkpoint().read()).isEqualTo(entries(2, 15, 3, 20));
        assertThat(cache.epochForOffset(14)).isEmpty();
    }

    @Test
    void truncateFromStartKeepsEntryStartingExactlyThere() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10, 3, 20);

        cache.truncateFromStart(10);

        assertThat(cache.epochEntries()).isEqualTo(entries(2, 10, 3, 20));
    }

    @Test
    void truncateFromStartBeyondLatestEntryKeepsLatestEpochFromNewStart() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10, 3, 20);

        cache.truncateFromStart(100);

        assertThat(cache.epochEntries()).isEqualTo(entries(3, 100));
    }

    @Test
    void truncateFromStartBelowEarliestEntryChangesNothing() {
        LeaderEpochCache cache = cacheWith(1, 5, 2, 10);

        cache.truncateFromStart(5);
        cache.truncateFromStart(3);
        cache.truncateFromStart(-1);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 5, 2, 10));
    }

    @Test
    void clearAndFlushEmptiesCacheAndCheckpoint() throws IOException {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10);

        cache.clearAndFlush();

        assertThat(cache.epochEntries()).isEmpty();
        assertThat(cache.latestEpoch()).isEmpty();
        assertThat(Files.readString(checkpoint().path())).isEqualTo("0\n0\n");
    }

    @Test
    void stateSurvivesReopening() {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10, 3, 20, 4, 30);
        cache.truncateFromEnd(30);
        cache.truncateFromStart(5);

        LeaderEpochCache reopened = open();

        assertThat(reopened.epochEntries()).isEqualTo(entries(1, 5, 2, 10, 3, 20));
        assertThat(reopened.endOffsetFor(2, 99)).isEqualTo(new EpochEndOffset(2, 20));
        assertThat(reopened.topicPartition()).isEqualTo(PARTITION);
    }

    @Test
    void openResolvesConflictingCheckpointAndRewritesIt() throws IOException {
        Files.writeString(checkpoint().path(), "0\n4\n1 0\n3 20\n2 10\n2 15\n");

        LeaderEpochCache cache = open();

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 2, 10));
        assertThat(checkpoint().read()).isEqualTo(entries(1, 0, 2, 10));
    }

    @Test
    void openLeavesConsistentCheckpointUntouched() throws IOException {
        Files.writeString(checkpoint().path(), "0\n2\n1 0\n2 10\n");
        Object written = inode(checkpoint().path());

        open();

        assertThat(inode(checkpoint().path())).isEqualTo(written);
    }

    @Test
    void openFailsOnMalformedCheckpoint() throws IOException {
        Files.writeString(checkpoint().path(), "0\n1\n1\n");

        assertThatThrownBy(this::open)
            .isInstanceOf(StorageException.class)
            .hasMessageContaining(checkpoint().path().toString())
            .hasMessageContaining("line 3");
    }

    @Test
    void failedFlushLeavesCacheUnchanged() throws IOException {
        LeaderEpochCache cache = cacheWith(1, 0, 2, 10);
        Path blocker = dir.resolve("leader-epoch-checkpoint.tmp").resolve("blocker");
        Files.createDirectories(blocker);

        assertThatThrownBy(() -> cache.assign(3, 20)).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> cache.truncateFromEnd(5)).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> cache.truncateFromStart(5)).isInstanceOf(StorageException.class);
        assertThatThrownBy(cache::clearAndFlush).isInstanceOf(StorageException.class);

        assertThat(cache.epochEntries()).isEqualTo(entries(1, 0, 2, 10));
        assertThat(checkpoint().read()).isEqualTo(entries(1, 0, 2, 10));

        Files.delete(blocker);
        Files.delete(blocker.getParent());
        cache.assign(3, 20);
        assertThat(open().epochEntries()).isEqualTo(entries(1, 0, 2, 10, 3, 20));
    }

    @Test
    void readersSeeAscendingEntriesWhileWritersChangeThem() {
        LeaderEpochCache cache = open();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Integer> reader = CompletableFuture.supplyAsync(() -> {
            int reads = 0;
            while (!done.get() || reads == 0) {
                List<EpochEntry> seen = cache.epochEntries();
                for (int i = 1; i < seen.size(); i++) {
                    assertThat(seen.get(i).epoch()).isGreaterThan(seen.get(i - 1).epoch());
                    assertThat(seen.get(i).startOffset()).isGreaterThan(seen.get(i - 1).startOffset());
                }
                cache.endOffsetFor(reads % 50, 1_000);
                reads++;
            }
            return reads;
        });
        try {
            for (int epoch = 0; epoch < 50; epoch++) {
                cache.assign(epoch, epoch * 10L);
                if (epoch % 10 == 5) {
                    cache.truncateFromEnd(epoch * 10L - 15);
                    cache.truncateFromStart(epoch * 5L);
                }
            }
        } finally {
            done.set(true);
        }

        assertThat(reader.join()).isPositive();
        assertThat(cache.latestEpoch()).hasValue(49);
        assertThat(open().epochEntries()).isEqualTo(cache.epochEntries());
    }
}
