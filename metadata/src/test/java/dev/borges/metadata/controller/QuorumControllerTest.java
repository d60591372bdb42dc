package dev.borges.metadata.controller;

import static dev.borges.metadata.controller.ControllerTestContext.await;
import static dev.borges.metadata.controller.ControllerTestContext.registerBroker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuorumControllerTest {
    @TempDir
    Path dir;

    @Test
    void createsTopicLedByTheRegisteredBroker() throws Exception {
        try (QuorumController controller = ControllerTestContext.start(dir)) {
            registerBroker(controller, 1);
            List<CreateTopicResult> results = await(controller.createTopics(List.of(NewTopic.of("foo", 3, 1)), false));

            assertThat(results).singleElement().satisfies(r -> {
                assertThat(r.error()).isEqualTo(Errors.NONE);
                assertThat(r.topicId()).isNotEqualTo(Uuid.ZERO);
                assertThat(r.numPartitions()).isEqualTo(3);
                assertThat(r.replicationFactor()).isEqualTo((short) 1);
            });
            MetadataImage image = controller.image();
            TopicImage foo = image.topics().topic("foo");
            assertThat(foo.id()).isEqualTo(results.get(0).topicId());
            assertThat(foo.partitions()).hasSize(3);
            foo.partitions().values().forEach(p -> {
                assertThat(p.leader()).isEqualTo(1);
                assertThat(p.replicas()).containsExactly(1);
                assertThat(p.isr()).containsExactly(1);
            });
        }
    }
}
