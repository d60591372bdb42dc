package dev.borges.metadata.controller;

import static dev.borges.metadata.controller.ControllerTestContext.await;
import static dev.borges.metadata.controller.ControllerTestContext.registerBroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Topic operations through a running single-node controller. */
class QuorumControllerTest {
    @TempDir
    Path dir;
    QuorumController controller;

    @BeforeEach
    void start() throws Exception {
        controller = ControllerTestContext.start(dir, b -> b.configValidator((resource, configs) ->
            "-1".equals(configs.get("retention.bytes")) && configs.containsKey("retention.ms")
                ? Optional.of("retention.bytes -1 with retention.ms is refused by this test validator")
                : Optional.empty()));
        registerBroker(controller, 1);
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private List<CreateTopicResult> create(NewTopic... topics) {
        return await(controller.createTopics(List.of(topics), false));
    }

    private Errors createError(NewTopic topic) {
        return create(topic).get(0).error();
    }

    @Test
    void createsTopicLedByTheRegisteredBroker() {
        List<CreateTopicResult> results = create(NewTopic.of("foo", 3, 1));

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.error()).isEqualTo(Errors.NONE);
            assertThat(r.topicId()).isNotEqualTo(Uuid.ZERO);
            assertThat(r.numPartitions()).isEqualTo(3);
            assertThat(r.replicationFactor()).isEqualTo((short) 1);
        });
        TopicImage foo = controller.image().topics().topic("foo");
        assertThat(foo.id()).isEqualTo(results.get(0).topicId());
        assertThat(foo.partitions()).hasSize(3);
        foo.partitions().values().forEach(p -> {
            assertThat(p.leader()).isEqualTo(1);
            assertThat(p.replicas()).containsExactly(1);
            assertThat(p.isr()).containsExactly(1);
            assertThat(p.leaderEpoch()).isZero();
        });
    }

    @Test
    void usesDefaultsForMinusOne() {
        CreateTopicResult result = create(NewTopic.of("foo", -1, -1)).get(0);
        assertThat(result.error()).isEqualTo(Errors.NONE);
        assertThat(result.numPartitions()).isEqualTo(1);
        assertThat(result.replicationFactor()).isEqualTo((short) 1);
    }

    @Test
    void spreadsLeadersRoundRobinOverRegisteredBrokers() {
        registerBroker(controller, 2);
        registerBroker(controller, 3);
        assertThat(createError(NewTopic.of("foo", 6, 2))).isEqualTo(Errors.NONE);
        TopicImage foo = controller.image().topics().topic("foo");
        java.util.Map<Integer, Long> leaders = foo.partitions().values().stream()
            .collect(java.util.stream.Collectors.groupingBy(p -> p.leader(), java.util.stream.Collectors.counting()));
        assertThat(leaders).containsOnly(Map.entry(1, 2L), Map.entry(2, 2L), Map.entry(3, 2L));
        foo.partitions().values().forEach(p -> assertThat(p.replicas()).hasSize(2).doesNotHaveDuplicates());
    }

    @Test
    void rejectsDuplicateTopicName() {
        create(NewTopic.of("foo", 1, 1));
        CreateTopicResult again = create(NewTopic.of("foo", 2, 1)).get(0);
        assertThat(again.error()).isEqualTo(Errors.TOPIC_ALREADY_EXISTS);
        assertThat(again.errorMessage()).contains("foo");
        assertThat(controller.image().topics().topic("foo").partitionCount()).isEqualTo(1);
    }

    @Test
    void rejectsTheSameNameTwiceInOneRequest() {
        List<CreateTopicResult> results = create(NewTopic.of("foo", 1, 1), NewTopic.of("foo", 1, 1), NewTopic.of("bar", 1, 1));
        assertThat(results).extracting(CreateTopicResult::error)
            .containsExactly(Errors.INVALID_REQUEST, Errors.INVALID_REQUEST, Errors.NONE);
        assertThat(controller.image().topics().byName()).containsOnlyKeys("bar");
    }

    @Test
    void rejectsInvalidTopicNames() {
        for (String name : List.of("", ".", "..", "a".repeat(250), "with space", "ümlaut", "slash/", "star*")) {
            assertThat(createError(NewTopic.of(name, 1, 1))).as(name).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        }
        assertThat(createError(NewTopic.of("a".repeat(249), 1, 1))).isEqualTo(Errors.NONE);
        assertThat(createError(NewTopic.of("Aa0._-", 1, 1))).isEqualTo(Errors.NONE);
        assertThat(controller.image().topics().size()).isEqualTo(2);
    }

    @Test
    void rejectsNameCollidingOnDotAndUnderscore() {
        create(NewTopic.of("a.b", 1, 1));
        CreateTopicResult result = create(NewTopic.of("a_b", 1, 1)).get(0);
        assertThat(result.error()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(result.errorMessage()).contains("collides with existing topic: a.b");
        assertThat(create(NewTopic.of("x.y", 1, 1), NewTopic.of("x_y", 1, 1)))
            .extracting(CreateTopicResult::error).containsExactly(Errors.NONE, Errors.INVALID_TOPIC_EXCEPTION);
    }

    @Test
    void rejectsInvalidPartitionCountsAndReplicationFactors() {
        assertThat(createError(NewTopic.of("foo", 0, 1))).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(createError(NewTopic.of("foo", -2, 1))).isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(createError(NewTopic.of("foo", 1, 0))).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        CreateTopicResult tooMany = create(NewTopic.of("foo", 1, 3)).get(0);
        assertThat(tooMany.error()).isEqualTo(Errors.INVALID_REPLICATION_FACTOR);
        assertThat(tooMany.errorMessage()).contains("only 1 broker(s) are registered");
        assertThat(createError(NewTopic.of("foo", TopicControl.MAX_PARTITIONS_PER_REQUEST + 1, 1)))
            .isEqualTo(Errors.POLICY_VIOLATION);
        assertThat(controller.image().topics().size()).isZero();
    }

    @Test
    void validateOnlyChangesNothing() {
        List<MetadataImage> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        controller.register((delta, image) -> seen.add(image));
        MetadataImage before = controller.image();
        int callsBefore = seen.size();

        List<CreateTopicResult> results = await(controller.createTopics(List.of(NewTopic.of("foo", 2, 1),
            NewTopic.of("bad name", 1, 1)), true));
        assertThat(results).extracting(CreateTopicResult::error).containsExactly(Errors.NONE, Errors.INVALID_TOPIC_EXCEPTION);
        assertThat(results.get(0).numPartitions()).isEqualTo(2);

        assertThat(controller.image()).isSameAs(before);
        assertThat(seen).hasSize(callsBefore);
        assertThat(create(NewTopic.of("foo", 1, 1)).get(0).error()).isEqualTo(Errors.NONE);
    }

    @Test
    void createsTopicWithExplicitAssignment() {
        registerBroker(controller, 2);
        NewTopic topic = new NewTopic("foo", -1, (short) -1, Map.of(0, List.of(2, 1), 1, List.of(1, 2)), Map.of());
        assertThat(createError(topic)).isEqualTo(Errors.NONE);
        TopicImage foo = controller.image().topics().topic("foo");
        assertThat(foo.partition(0).replicas()).containsExactly(2, 1);
        assertThat(foo.partition(0).leader()).isEqualTo(2);
        assertThat(foo.partition(1).leader()).isEqualTo(1);
    }

    @Test
    void rejectsInvalidExplicitAssignments() {
        assertThat(createError(new NewTopic("a", -1, (short) -1, Map.of(0, List.of(7)), Map.of())))
            .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(createError(new NewTopic("b", -1, (short) -1, Map.of(0, List.of(1, 1)), Map.of())))
            .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(createError(new NewTopic("c", -1, (short) -1, Map.of(0, List.of()), Map.of())))
            .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(createError(new NewTopic("d", -1, (short) -1, Map.of(1, List.of(1)), Map.of())))
            .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        assertThat(createError(new NewTopic("e", 1, (short) -1, Map.of(0, List.of(1)), Map.of())))
            .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(controller.image().topics().size()).isZero();
    }

    @Test
    void storesTopicConfigsAndRejectsInvalidOnes() {
        CreateTopicResult ok = create(NewTopic.of("foo", 1, 1).withConfigs(Map.of("retention.ms", "1000",
            "cleanup.policy", "compact"))).get(0);
        assertThat(ok.error()).isEqualTo(Errors.NONE);
        assertThat(ok.configs()).containsEntry("retention.ms", "1000");
        assertThat(controller.image().configs().configs(ConfigResource.topic("foo")))
            .containsOnly(Map.entry("retention.ms", "1000"), Map.entry("cleanup.policy", "compact"));

        CreateTopicResult unknown = create(NewTopic.of("bar", 1, 1).withConfigs(Map.of("no.such.config", "1"))).get(0);
        assertThat(unknown.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(unknown.errorMessage()).contains("no.such.config");

        CreateTopicResult refused = create(NewTopic.of("bar", 1, 1).withConfigs(Map.of("retention.bytes", "-1",
            "retention.ms", "5"))).get(0);
        assertThat(refused.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(refused.errorMessage()).contains("test validator");

        java.util.HashMap<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("retention.ms", null);
        assertThat(createError(NewTopic.of("bar", 1, 1).withConfigs(nullValue))).isEqualTo(Errors.INVALID_REQUEST);
        assertThat(controller.image().topics().topic("bar")).isNull();
    }

    @Test
    void deletesTopicsByNameAndId() {
        Uuid foo = create(NewTopic.of("foo", 2, 1).withConfigs(Map.of("retention.ms", "1"))).get(0).topicId();
        Uuid bar = create(NewTopic.of("bar", 1, 1)).get(0).topicId();

        List<TopicResult> results = await(controller.deleteTopics(List.of("foo", "missing")));
        assertThat(results.get(0)).isEqualTo(new TopicResult("foo", foo, Errors.NONE, null));
        assertThat(results.get(1).error()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(controller.image().topics().topic("foo")).isNull();
        assertThat(controller.image().configs().configs(ConfigResource.topic("foo"))).isEmpty();

        List<TopicResult> byId = await(controller.deleteTopicsById(List.of(bar, new Uuid(9, 9))));
        assertThat(byId).extracting(TopicResult::error).containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_ID);
        assertThat(byId.get(0).name()).isEqualTo("bar");
        assertThat(controller.image().topics().size()).isZero();

        assertThat(create(NewTopic.of("foo", 1, 1)).get(0).topicId()).isNotEqualTo(foo);
    }

    @Test
    void createsPartitions() {
        create(NewTopic.of("foo", 1, 1));
        List<TopicResult> results = await(controller.createPartitions(List.of(NewPartitions.of("foo", 3),
            NewPartitions.of("missing", 2)), false));
        assertThat(results).extracting(TopicResult::error).containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        TopicImage foo = controller.image().topics().topic("foo");
        assertThat(foo.partitions()).containsOnlyKeys(0, 1, 2);
        assertThat(foo.partition(2).leader()).isEqualTo(1);

        assertThat(await(controller.createPartitions(List.of(NewPartitions.of("foo", 3)), false)).get(0).error())
            .isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(await(controller.createPartitions(List.of(NewPartitions.of("foo", 2)), false)).get(0).error())
            .isEqualTo(Errors.INVALID_PARTITIONS);
        assertThat(await(controller.createPartitions(List.of(NewPartitions.of("foo", 5)), true)).get(0).error())
            .isEqualTo(Errors.NONE);
        assertThat(controller.image().topics().topic("foo").partitionCount()).isEqualTo(3);

        var bad = new NewPartitions("foo", 5, List.of(List.of(1)));
        assertThat(await(controller.createPartitions(List.of(bad), false)).get(0).error())
            .isEqualTo(Errors.INVALID_REPLICA_ASSIGNMENT);
        var good = new NewPartitions("foo", 4, List.of(List.of(1)));
        assertThat(await(controller.createPartitions(List.of(good), false)).get(0).error()).isEqualTo(Errors.NONE);
        assertThat(controller.image().topics().topic("foo").partitionCount()).isEqualTo(4);
    }

    @Test
    void failsWithNotControllerWhenClosed() {
        controller.close();
        assertThat(controller.state()).isEqualTo(QuorumController.State.CLOSED);
        assertThatThrownBy(() -> controller.createTopics(List.of(NewTopic.of("foo", 1, 1)), false).get())
            .isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(ControllerException.class)
            .satisfies(e -> assertThat(((ControllerException) e).error()).isEqualTo(Errors.NOT_CONTROLLER));
    }
}
