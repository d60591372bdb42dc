package dev.borges.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshot files on disk: naming, atomic writes, loading, corruption, truncation and retention. */
class ProducerSnapshotTest {
    @TempDir
    Path directory;

    private ProducerStateTestContext context;

    @BeforeEach
    void setUp() {
        context = new ProducerStateTestContext(directory);
    }

    @Test
    void takesSnapshotNamedByTheMapEndOffsetInTwentyDigitsAndLeavesNoTemporaryFile() throws IOException {
        context.appendAsLeader(1L, 0, 0, 3);

        context.manager.takeSnapshot();

        assertThat(fileNames()).containsExactly("00000000000000000003.snapshot");
        assertThat(context.manager.latestSnapshotOffset()).hasValue(3);
    }

    @Test
    void snapshotReloadsEveryProducerAsItWas() {
        for (long pid = 1; pid <= 4; pid++) {
            for (int batch = 0; batch < 7; batch++) {
                context.appendAsLeader(pid, (int) pid, batch * 2, 2);
            }
        }
        Map<Long, ProducerStateEntry> before = context.manager.activeProducers();
        long endBefore = context.manager.mapEndOffset();
        context.manager.takeSnapshot();

        ProducerStateManager reloaded = new ProducerStateManager(ProducerStateTestContext.PARTITION, directory, context.config);
        reloaded.truncateAndReload(0, endBefore, context.time.milliseconds());

        assertThat(reloaded.activeProducers()).isEqualTo(before);
        assertThat(reloaded.mapEndOffset()).isEqualTo(endBefore);
    }

    @Test
    void corruptNewestSnapshotIsDeletedAndTheOlderOneUsed() throws IOException {
        context.appendAsLeader(1L, 0, 0, 2);
        context.manager.takeSnapshot();
        context.appendAsLeader(1L, 0, 2, 2);
        context.manager.takeSnapshot();
        flipByte(snapshotFile(4), 30);

        ProducerStateManager reloaded = new ProducerStateManager(ProducerStateTestContext.PARTITION, directory, context.config);
        reloaded.truncateAndReload(0, 4, context.time.milliseconds());

        assertThat(reloaded.mapEndOffset()).isEqualTo(2);
        assertThat(reloaded.lastEntry(1L).orElseThrow().lastSequence()).isEqualTo(1);
        assertThat(fileNames()).containsExactly("00000000000000000002.snapshot");
    }

    @Test
    void truncatedSnapshotIsDeletedAndStateStartsFromTheLogStart() throws IOException {
        context.appendAsLeader(1L, 0, 0, 2);
        context.manager.takeSnapshot();
        byte[] bytes = Files.readAllBytes(snapshotFile(2));
        Files.write(snapshotFile(2), Arrays.copyOf(bytes, bytes.length - 5));

        ProducerStateManager reloaded = new ProducerStateManager(ProducerStateTestContext.PARTITION, directory, context.config);
        reloaded.truncateAndReload(0, 2, context.time.milliseconds());

        assertThat(reloaded.mapEndOffset()).isZero();
        assertThat(reloaded.producerCount()).isZero();
        assertThat(fileNames()).isEmpty();
    }

    @Test
    void truncateAndReloadLoadsTheNewestSnapshotAtOrBelowTheEndAndDeletesThoseAbove() {
        for (int i = 0; i < 3; i++) {
            context.appendAsLeader(1L, 0, i * 10, 10);
            context.manager.takeSnapshot();
        }
        assertThat(context.manager.snapshotOffsets()).containsExactly(10L, 20L, 30L);

        context.manager.truncateAndReload(0, 25, context.time.milliseconds());

        assertThat(context.manager.snapshotOffsets()).containsExactly(10L, 20L);
        assertThat(context.manager.mapEndOffset()).isEqualTo(20);
        assertThat(context.manager.lastEntry(1L).orElseThrow().lastSequence()).isEqualTo(19);
    }

    @Test
    void truncateAndReloadDeletesSnapshotsBelowTheLogStartAndKeepsTheOneAtIt() {
        for (int i = 0; i < 3; i++) {
            context.appendAsLeader(1L, 0, i * 10, 10);
            context.manager.takeSnapshot();
        }
        ProducerStateManager reloaded = new ProducerStateManager(ProducerStateTestContext.PARTITION, directory, context.config);

        reloaded.truncateAndReload(20, 30, context.time.milliseconds());

        assertThat(reloaded.snapshotOffsets()).containsExactly(20L, 30L);
        assertThat(reloaded.mapEndOffset()).isEqualTo(30);
    }

    @Test
    void withNoSnapshotLeftTheStateIsEmptyAtTheLogStart() {
        context.appendAsLeader(1L, 0, 0, 10);
        context.manager.takeSnapshot();

        context.manager.truncateAndReload(5, 8, context.time.milliseconds());

        assertThat(context.manager.mapEndOffset()).isEqualTo(5);
        assertThat(context.manager.producerCount()).isZero();
        assertThat(context.manager.snapshotOffsets()).isEmpty();
    }

    @Test
    void loadingDropsProducersThatExpiredWhileTheBrokerWasDown() {
        context.appendAsLeader(1L, 0, 0, 1);
        context.time.sleep(ProducerStateConfig.DEFAULT_PRODUCER_ID_EXPIRATION_MS - 10);
        context.appendAsLeader(2L, 0, 0, 1);
        context.manager.takeSnapshot();

        context.time.sleep(10);
        ProducerStateManager reloaded = new ProducerStateManager(ProducerStateTestContext.PARTITION, directory, context.config);
        reloaded.truncateAndReload(0, context.logEndOffset(), context.time.milliseconds());

        assertThat(reloaded.activeProducers()).containsOnlyKeys(2L);
    }

    @Test
    void producerWithAnOpenTransactionIsKeptPastExpiry() {
        ProducerSnapshotFiles files = new ProducerSnapshotFiles(ProducerStateTestContext.PARTITION, directory);
        files.write(0L, List.of(new ProducerStateEntry(5L, (short) 0, 0, 0L, OptionalLong.of(0L), List.of())));

        ProducerStateManager manager = new ProducerStateManager(ProducerStateTestContext.PARTITION, directory, context.config);

        manager.truncateAndReload(0, 10, ProducerStateConfig.DEFAULT_PRODUCER_ID_EXPIRATION_MS * 10);

        assertThat(manager.lastEntry(5L)).isPresent();
    }

    @Test
    void keepsOnlyTheNewestSnapshots() {
        for (int i = 0; i < 6; i++) {
            context.appendAsLeader(1L, 0, i, 1);
            context.manager.takeSnapshot();
        }

        assertThat(context.manager.snapshotOffsets()).containsExactly(4L, 5L, 6L);
        assertThat(context.manager.snapshotOffsets()).hasSize(ProducerStateManager.RETAINED_SNAPSHOTS);
    }

    @Test
    void snapshotAtAnOffsetAlreadyTakenIsNotRewritten() throws IOException {
        context.appendAsLeader(1L, 0, 0, 1);
        context.manager.takeSnapshot();
        Files.setLastModifiedTime(snapshotFile(1), FileTime.fromMillis(0));

        context.manager.takeSnapshot();

        assertThat(Files.getLastModifiedTime(snapshotFile(1)).toMillis()).isZero();
    }

    @Test
    void logStartMovingUpDeletesOlderSnapshotsButKeepsProducers() {
        context.appendAsLeader(1L, 0, 0, 10);
        context.manager.takeSnapshot();
        context.appendAsLeader(2L, 0, 0, 10);
        context.manager.takeSnapshot();

        context.deleteLogBefore(15);

        assertThat(context.manager.snapshotOffsets()).containsExactly(20L);
        assertThat(context.manager.activeProducers()).containsOnlyKeys(1L, 2L);
    }

    @Test
    void logStartBeyondTheMapEndMovesTheMapEndUp() {
        context.appendAsLeader(1L, 0, 0, 10);

        context.manager.onLogStartOffsetIncremented(50);

        assertThat(context.manager.mapEndOffset()).isEqualTo(50);
    }

    @Test
    void truncateFullyForgetsEveryProducerAndSnapshot() {
        context.appendAsLeader(1L, 0, 0, 10);
        context.manager.takeSnapshot();

        context.manager.truncateFullyAndStartAt(100);

        assertThat(context.manager.producerCount()).isZero();
        assertThat(context.manager.snapshotOffsets()).isEmpty();
        assertThat(context.manager.mapEndOffset()).isEqualTo(100);
    }

    @Test
    void leftoverTemporaryFileIsDeletedAndStrangersAreLeftAlone() throws IOException {
        Files.write(directory.resolve("00000000000000000007.snapshot.tmp"), new byte[] {1, 2, 3});
        Files.write(directory.resolve("00000000000000000000.log"), new byte[] {1});
        Files.write(directory.resolve("7.snapshot"), new byte[] {1});

        ProducerStateManager manager = new ProducerStateManager(ProducerStateTestContext.PARTITION, directory, context.config);

        assertThat(manager.snapshotOffsets()).isEmpty();
        assertThat(fileNames()).containsExactly("00000000000000000000.log", "7.snapshot");
    }

    @Test
    void parsesOnlyTwentyDigitSnapshotNames() {
        assertThat(ProducerSnapshotFiles.fileName(1234)).isEqualTo("00000000000000001234.snapshot");
        assertThat(ProducerSnapshotFiles.parseOffset("00000000000000001234.snapshot")).hasValue(1234);
        assertThat(ProducerSnapshotFiles.parseOffset("0000000000000000123x.snapshot")).isEmpty();
        assertThat(ProducerSnapshotFiles.parseOffset("99999999999999999999.snapshot")).isEmpty();
        assertThat(ProducerSnapshotFiles.parseOffset("00000000000000001234.snapshot.tmp")).isEmpty();
    }

    private Path snapshotFile(long offset) {
        return directory.resolve(ProducerSnapshotFiles.fileName(offset));
    }

    private static void flipByte(Path file, int position) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        bytes[position] ^= 0x01;
        Files.write(file, bytes);
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
