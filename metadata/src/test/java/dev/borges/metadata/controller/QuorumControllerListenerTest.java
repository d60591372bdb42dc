package dev.borges.metadata.controller;

import static dev.borges.metadata.controller.ControllerTestContext.await;
import static dev.borges.metadata.controller.ControllerTestContext.registerBroker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.metadata.image.MetadataChanges;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.PartitionChange;
import dev.borges.metadata.image.TopicImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Listeners see every committed change once, in commit order, starting from the current image. */
class QuorumControllerListenerTest {
    @TempDir
    Path dir;

    record Update(MetadataImage base, MetadataChanges changes, MetadataImage image) {
    }

    @Test
    void listenersSeeDeltasInCommitOrder() throws Exception {
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            registerBroker(controller, 1);
            List<Update> updates = new CopyOnWriteArrayList<>();
            controller.register((delta, image) -> updates.add(new Update(delta.base(), delta.changes(), image)));
            assertThat(updates).singleElement().satisfies(u -> {
                assertThat(u.base()).isEqualTo(MetadataImage.EMPTY);
                assertThat(u.changes().changedBrokers()).containsExactly(1);
            });

            // Writes from several threads at once: each delta starts where the previous one ended.
            List<CompletableFuture<List<CreateTopicResult>>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(controller.createTopics(List.of(NewTopic.of("t" + i, 2, 1)), false));
            }
            futures.forEach(f -> await(f));
            await(controller.deleteTopics(List.of("t3")));

            for (int i = 1; i < updates.size(); i++) {
                assertThat(updates.get(i).base()).isSameAs(updates.get(i - 1).image());
            }
            List<String> created = updates.stream().flatMap(u -> u.changes().createdTopics().stream())
                .map(TopicImage::name).toList();
            assertThat(created).containsExactlyInAnyOrderElementsOf(
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "t" + i).toList());
            Update last = updates.get(updates.size() - 1);
            assertThat(last.changes().deletedTopics()).extracting(TopicImage::name).containsExactly("t3");
            assertThat(last.image()).isSameAs(controller.image());
            assertThat(updates.get(1).changes().createdPartitions()).extracting(PartitionChange::partitionId)
                .containsExactly(0, 1);
        }
    }

    @Test
    void listenerRegisteredBeforeStartSeesTheReplayedImage() throws Exception {
        MetadataImage before;
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            registerBroker(controller, 1);
            await(controller.createTopics(List.of(NewTopic.of("foo", 1, 1)), false));
            before = controller.image();
        }
        QuorumController controller = new QuorumController(ControllerConfig.builder(1, dir.resolve("__cluster_metadata")).build());
        List<MetadataImage> images = new CopyOnWriteArrayList<>();
        controller.register((delta, image) -> images.add(image));
        controller.start();
        try {
            assertThat(images).isNotEmpty();
            assertThat(images.get(images.size() - 1)).isEqualTo(before);
        } finally {
            controller.close();
        }
    }

    @Test
    void aFailingListenerDoesNotStopOthers() throws Exception {
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            List<MetadataImage> images = new CopyOnWriteArrayList<>();
            controller.register((delta, image) -> {
                throw new IllegalStateException("listener bug");
            });
            controller.register((delta, image) -> images.add(image));
            registerBroker(controller, 1);
            assertThat(images).hasSize(1);
            assertThat(controller.image().cluster().brokerIds()).containsExactly(1);
        }
    }
}
