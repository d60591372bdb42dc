package dev.borges.metadata.controller;

import static dev.borges.metadata.controller.ControllerTestContext.await;
import static dev.borges.metadata.controller.ControllerTestContext.registerBroker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.ConfigResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Close and reopen on the same directory: the image comes back from the Ratis log and snapshots. */
class QuorumControllerRestartTest {
    @TempDir
    Path dir;

    private static void writeSomeMetadata(QuorumController controller, String prefix) {
        registerBroker(controller, 1);
        await(controller.createTopics(List.of(NewTopic.of(prefix + "a", 3, 1),
            NewTopic.of(prefix + "b", 1, 1).withConfigs(Map.of("cleanup.policy", "compact"))), false));
        await(controller.createPartitions(List.of(NewPartitions.of(prefix + "b", 2)), false));
        await(controller.incrementalAlterConfigs(Map.of(ConfigResource.broker(1),
            List.of(ConfigOp.set("log.retention.ms", "1000"))), false));
        await(controller.createTopics(List.of(NewTopic.of(prefix + "gone", 1, 1)), false));
        await(controller.deleteTopics(List.of(prefix + "gone")));
        await(controller.allocateProducerIds(1));
    }

    @Test
    void restartRebuildsTheIdenticalImageFromTheLog() throws IOException {
        MetadataImage before;
        try (QuorumController controller = ControllerTestContext.start(dir, b -> b.snapshotEveryEntries(1_000_000))) {
            writeSomeMetadata(controller, "");
            before = controller.image();
        }
        deleteSnapshots();
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            assertThat(controller.image()).isEqualTo(before);
            assertThat(controller.image().topics().size()).isEqualTo(2);
        }
    }

    @Test
    void restartRebuildsTheIdenticalImageFromSnapshotAndLogTail() throws IOException {
        MetadataImage before;
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            writeSomeMetadata(controller, "");
            long snapshotIndex = await(controller.takeSnapshot());
            assertThat(snapshotIndex).isPositive();
            writeSomeMetadata(controller, "later-");
            before = controller.image();
        }
        assertThat(snapshotFiles()).isNotEmpty();
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            assertThat(controller.image()).isEqualTo(before);
            assertThat(controller.image().topics().byName()).containsOnlyKeys("a", "b", "later-a", "later-b");
        }
    }

    @Test
    void automaticSnapshotsKeepTheImage() throws IOException {
        MetadataImage before;
        try (QuorumController controller = ControllerTestContext.start(dir, b -> b.snapshotEveryEntries(3))) {
            writeSomeMetadata(controller, "");
            writeSomeMetadata(controller, "x");
            before = controller.image();
        }
        assertThat(snapshotFiles()).isNotEmpty();
        try (QuorumController controller = ControllerTestContext.start(dir, b -> b.snapshotEveryEntries(3))) {
            assertThat(controller.image()).isEqualTo(before);
        }
    }

    @Test
    void producerIdBlocksKeepIncreasingAcrossRestarts() throws IOException {
        long last;
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            registerBroker(controller, 1);
            last = await(controller.allocateProducerIds(1)).lastProducerId();
        }
        for (int restart = 0; restart < 2; restart++) {
            try (QuorumController controller = ControllerTestContext.start(dir)) {
                ProducerIdsBlock block = await(controller.allocateProducerIds(1));
                assertThat(block.firstProducerId()).isEqualTo(last + 1);
                last = block.lastProducerId();
            }
        }
    }

    @Test
    void keepsTheRatisLogUnderTheMetadataDir() throws IOException {
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            registerBroker(controller, 1);
        }
        Path group = dir.resolve("__cluster_metadata").resolve(RaftMetadataLog.GROUP_ID.getUuid().toString());
        assertThat(group.resolve("current")).isDirectory();
        assertThat(group.resolve("current").resolve("raft-meta")).exists();
    }

    private void deleteSnapshots() throws IOException {
        for (Path file : snapshotFiles()) {
            Files.delete(file);
        }
    }

    private List<Path> snapshotFiles() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("snapshot.")).toList();
        }
    }
}
