package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.CreatePartitionsRequestData;
import dev.borges.protocol.message.CreatePartitionsResponseData;
import dev.borges.storage.TopicPartition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CreatePartitionsHandlerTest {
    private AdminTestContext ctx;
    private CreatePartitionsHandler handler;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir);
        handler = new CreatePartitionsHandler(ctx.controller);
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    private static CreatePartitionsRequestData.CreatePartitionsTopic grow(String topic, int count, List<List<Integer>> assignments) {
        CreatePartitionsRequestData.CreatePartitionsTopic t = new CreatePartitionsRequestData.CreatePartitionsTopic()
            .setName(topic).setCount(count).setAssignments(null);
        if (assignments != null) {
            t.setAssignments(new java.util.ArrayList<>());
            assignments.forEach(a -> t.assignments().add(new CreatePartitionsRequestData.CreatePartitionsAssignment()
                .setBrokerIds(new java.util.ArrayList<>(a))));
        }
        return t;
    }

    private List<CreatePartitionsResponseData.CreatePartitionsTopicResult> send(boolean validateOnly,
                                                                               CreatePartitionsRequestData.CreatePartitionsTopic... topics) {
        CreatePartitionsRequestData request = new CreatePartitionsRequestData().setTimeoutMs(30_000).setValidateOnly(validateOnly);
        request.topics().addAll(List.of(topics));
        return handler.handle(header(ApiKey.CREATE_PARTITIONS, 3), request).join().results();
    }

    @Test
    void growsATopicAndThisBrokerLeadsTheNewPartitionsWhenAnswered() {
        ctx.createTopic("grow", 1);
        List<CreatePartitionsResponseData.CreatePartitionsTopicResult> results = send(false, grow("grow", 3, null));
        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("grow");
            assertThat(r.errorCode()).isEqualTo(Errors.NONE.code);
            assertThat(r.errorMessage()).isNull();
        });
        assertThat(ctx.controller.image().topics().topic("grow").partitionCount()).isEqualTo(3);
        assertThat(ctx.partitions.partition(new TopicPartition("grow", 2))).isPresent();
    }

    @Test
    void acceptsExplicitAssignments() {
        ctx.createTopic("assigned", 1);
        assertThat(send(false, grow("assigned", 2, List.of(List.of(1)))).get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(send(false, grow("assigned", 3, List.of(List.of(7)))).get(0).errorCode())
            .as("an unknown broker").isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT.code);
    }

    @Test
    void validateOnlyChangesNothing() {
        ctx.createTopic("dry", 1);
        assertThat(send(true, grow("dry", 4, null)).get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(ctx.controller.image().topics().topic("dry").partitionCount()).isEqualTo(1);
    }

    @Test
    void answersKafkaErrorsPerTopic() {
        ctx.createTopic("fixed", 2);
        List<CreatePartitionsResponseData.CreatePartitionsTopicResult> results = send(false,
            grow("fixed", 2, null), grow("missing", 3, null), grow("twice", 3, null), grow("twice", 4, null));
        assertThat(results).extracting(CreatePartitionsResponseData.CreatePartitionsTopicResult::name)
            .containsExactly("fixed", "missing", "twice", "twice");
        assertThat(results).extracting(CreatePartitionsResponseData.CreatePartitionsTopicResult::errorCode).containsExactly(
            Errors.INVALID_PARTITIONS.code, Errors.UNKNOWN_TOPIC_OR_PARTITION.code, Errors.INVALID_REQUEST.code, Errors.INVALID_REQUEST.code);
        assertThat(results.get(0).errorMessage()).isNotBlank();
        assertThat(ctx.controller.image().topics().topic("fixed").partitionCount()).isEqualTo(2);
    }
}
