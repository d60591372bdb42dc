package dev.borges.metadata.controller;

import static dev.borges.metadata.controller.ControllerTestContext.await;
import static dev.borges.metadata.controller.ControllerTestContext.registerBroker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.Errors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config, broker registration and producer id operations through a running controller. */
class QuorumControllerConfigsTest {
    private static final ConfigResource FOO = ConfigResource.topic("foo");

    @TempDir
    Path dir;
    QuorumController controller;

    @BeforeEach
    void start() throws Exception {
        controller = ControllerTestContext.start(dir, b -> b.producerIdBlockSize(1000).configValidator((resource, configs) ->
            configs.getOrDefault("segment.bytes", "1").startsWith("-") ? Optional.of("segment.bytes must be positive")
                : Optional.empty()));
        registerBroker(controller, 1);
        await(controller.createTopics(List.of(NewTopic.of("foo", 1, 1)), false));
    }

    @AfterEach
    void close() {
        controller.close();
    }

    private ConfigResult alter(ConfigResource resource, ConfigOp... ops) {
        return await(controller.incrementalAlterConfigs(Map.of(resource, List.of(ops)), false)).get(0);
    }

    private Map<String, String> configs(ConfigResource resource) {
        return controller.image().configs().configs(resource);
    }

    @Test
    void setsAndDeletesTopicConfigs() {
        assertThat(alter(FOO, ConfigOp.set("retention.ms", "100"), ConfigOp.set("segment.bytes", "1024")).error())
            .isEqualTo(Errors.NONE);
        assertThat(configs(FOO)).containsOnly(Map.entry("retention.ms", "100"), Map.entry("segment.bytes", "1024"));

        assertThat(alter(FOO, ConfigOp.delete("retention.ms"), ConfigOp.delete("never.set.but.known.no")).error())
            .isEqualTo(Errors.INVALID_CONFIG);
        assertThat(alter(FOO, ConfigOp.delete("retention.ms"), ConfigOp.delete("flush.ms")).error()).isEqualTo(Errors.NONE);
        assertThat(configs(FOO)).containsOnly(Map.entry("segment.bytes", "1024"));
    }

    @Test
    void setsBrokerAndClusterDefaultConfigs() {
        assertThat(alter(ConfigResource.broker(1), ConfigOp.set("log.retention.ms", "5")).error()).isEqualTo(Errors.NONE);
        assertThat(alter(ConfigResource.brokerDefault(), ConfigOp.set("log.retention.ms", "7")).error()).isEqualTo(Errors.NONE);
        assertThat(configs(ConfigResource.broker(1))).containsOnly(Map.entry("log.retention.ms", "5"));
        assertThat(configs(ConfigResource.brokerDefault())).containsOnly(Map.entry("log.retention.ms", "7"));
        assertThat(alter(new ConfigResource(ConfigResource.Type.BROKER, "not-a-number"),
            ConfigOp.set("x", "1")).error()).isEqualTo(Errors.INVALID_REQUEST);
    }

    @Test
    void rejectsChangesToUnknownTopicsAndKeys() {
        assertThat(alter(ConfigResource.topic("missing"), ConfigOp.set("retention.ms", "1")).error())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        ConfigResult unknownKey = alter(FOO, ConfigOp.set("retention.msec", "1"));
        assertThat(unknownKey.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(unknownKey.errorMessage()).contains("retention.msec");
        assertThat(alter(FOO, ConfigOp.set("retention.ms", "1"), ConfigOp.set("retention.ms", "2")).error())
            .isEqualTo(Errors.INVALID_REQUEST);
        assertThat(alter(FOO, new ConfigOp("retention.ms", ConfigOp.OpType.SET, null)).error())
            .isEqualTo(Errors.INVALID_REQUEST);
        ConfigResult refused = alter(FOO, ConfigOp.set("segment.bytes", "-5"));
        assertThat(refused.error()).isEqualTo(Errors.INVALID_CONFIG);
        assertThat(refused.errorMessage()).isEqualTo("segment.bytes must be positive");
        assertThat(configs(FOO)).isEmpty();
    }

    @Test
    void appendsAndSubtractsListConfigsOnly() {
        assertThat(alter(FOO, new ConfigOp("cleanup.policy", ConfigOp.OpType.APPEND, "delete")).error()).isEqualTo(Errors.NONE);
        assertThat(alter(FOO, new ConfigOp("cleanup.policy", ConfigOp.OpType.APPEND, "compact,delete")).error())
            .isEqualTo(Errors.NONE);
        assertThat(configs(FOO)).containsEntry("cleanup.policy", "delete,compact");
        assertThat(alter(FOO, new ConfigOp("cleanup.policy", ConfigOp.OpType.SUBTRACT, "delete")).error())
            .isEqualTo(Errors.NONE);
        assertThat(configs(FOO)).containsEntry("cleanup.policy", "compact");
        assertThat(alter(FOO, new ConfigOp("retention.ms", ConfigOp.OpType.APPEND, "5")).error())
            .isEqualTo(Errors.INVALID_CONFIG);
    }

    @Test
    void eachResourceSucceedsOrFailsAlone() {
        Map<ConfigResource, List<ConfigOp>> changes = new LinkedHashMap<>();
        changes.put(FOO, List.of(ConfigOp.set("retention.ms", "9")));
        changes.put(ConfigResource.topic("missing"), List.of(ConfigOp.set("retention.ms", "9")));
        List<ConfigResult> results = await(controller.incrementalAlterConfigs(changes, false));
        assertThat(results).extracting(ConfigResult::error).containsExactly(Errors.NONE, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(configs(FOO)).containsEntry("retention.ms", "9");
    }

    @Test
    void validateOnlyLeavesConfigsAlone() {
        var before = controller.image();
        List<ConfigResult> results = await(controller.incrementalAlterConfigs(
            Map.of(FOO, List.of(ConfigOp.set("retention.ms", "9"))), true));
        assertThat(results.get(0).error()).isEqualTo(Errors.NONE);
        assertThat(controller.image()).isSameAs(before);
    }

    @Test
    void legacyAlterConfigsReplacesAllOverrides() {
        alter(FOO, ConfigOp.set("retention.ms", "1"), ConfigOp.set("segment.bytes", "2048"));
        List<ConfigResult> results = await(controller.alterConfigs(Map.of(FOO, Map.of("flush.ms", "10")), false));
        assertThat(results.get(0).error()).isEqualTo(Errors.NONE);
        assertThat(configs(FOO)).containsOnly(Map.entry("flush.ms", "10"));
    }

    @Test
    void registersBrokersWithIncreasingEpochs() {
        long first = registerBroker(controller, 2);
        long second = registerBroker(controller, 2);
        assertThat(second).isGreaterThan(first);
        assertThat(controller.image().cluster().brokerIds()).containsExactly(1, 2);
        assertThat(controller.image().cluster().broker(2).endpoint("PLAINTEXT")).isPresent();
    }

    @Test
    void allocatesStrictlyIncreasingProducerIdBlocks() {
        ProducerIdsBlock a = await(controller.allocateProducerIds(1));
        ProducerIdsBlock b = await(controller.allocateProducerIds(1));
        assertThat(a).isEqualTo(new ProducerIdsBlock(1, 0, 1000));
        assertThat(b.firstProducerId()).isEqualTo(a.lastProducerId() + 1);
        assertThat(controller.image().producerIds().nextProducerId()).isEqualTo(2000);
    }

    @Test
    void refusesProducerIdsToUnregisteredBroker() {
        assertThatThrownBy(() -> controller.allocateProducerIds(7).get())
            .isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(ControllerException.class)
            .satisfies(e -> assertThat(((ControllerException) e).error()).isEqualTo(Errors.BROKER_ID_NOT_REGISTERED));
    }
}
