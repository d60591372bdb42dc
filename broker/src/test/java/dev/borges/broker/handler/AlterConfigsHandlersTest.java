package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.AlterConfigsRequestData;
import dev.borges.protocol.message.AlterConfigsResponseData;
import dev.borges.protocol.message.IncrementalAlterConfigsRequestData;
import dev.borges.protocol.message.IncrementalAlterConfigsResponseData;
import dev.borges.storage.StorageException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** IncrementalAlterConfigs and the legacy AlterConfigs, through a running controller to the live logs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlterConfigsHandlersTest {
    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;
    private static final byte SET = 0;
    private static final byte DELETE = 1;
    private static final byte APPEND = 2;
    private static final byte SUBTRACT = 3;

    private AdminTestContext ctx;
    private IncrementalAlterConfigsHandler incremental;
    private AlterConfigsHandler legacy;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir);
        incremental = new IncrementalAlterConfigsHandler(ctx.config, ctx.publisher::image, ctx.controller);
        legacy = new AlterConfigsHandler(ctx.controller);
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    private Map<String, String> overrides(String topic) {
        return ctx.controller.image().configs().configs(ConfigResource.topic(topic));
    }

    private static IncrementalAlterConfigsRequestData.AlterConfigsResource resource(byte type, String name, Object... opKeyValue) {
        IncrementalAlterConfigsRequestData.AlterConfigsResource resource = new IncrementalAlterConfigsRequestData.AlterConfigsResource()
            .setResourceType(type).setResourceName(name);
        for (int i = 0; i < opKeyValue.length; i += 3) {
            resource.configs().add(new IncrementalAlterConfigsRequestData.AlterableConfig().setConfigOperation((Byte) opKeyValue[i])
                .setName((String) opKeyValue[i + 1]).setValue((String) opKeyValue[i + 2]));
        }
        return resource;
    }

    private List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> alter(boolean validateOnly,
            IncrementalAlterConfigsRequestData.AlterConfigsResource... resources) {
        IncrementalAlterConfigsRequestData request = new IncrementalAlterConfigsRequestData().setValidateOnly(validateOnly);
        request.resources().addAll(List.of(resources));
        return incremental.handle(header(ApiKey.INCREMENTAL_ALTER_CONFIGS, 1), request).join().responses();
    }

    private IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse alterTopic(String topic, Object... opKeyValue) {
        return alter(false, resource(TOPIC, topic, opKeyValue)).get(0);
    }

    private AlterConfigsResponseData.AlterConfigsResourceResponse replace(String topic, String... keyValue) {
        AlterConfigsRequestData.AlterConfigsResource resource = new AlterConfigsRequestData.AlterConfigsResource()
            .setResourceType(TOPIC).setResourceName(topic);
        for (int i = 0; i < keyValue.length; i += 2) {
            resource.configs().add(new AlterConfigsRequestData.AlterableConfig().setName(keyValue[i]).setValue(keyValue[i + 1]));
        }
        AlterConfigsRequestData request = new AlterConfigsRequestData();
        request.resources().add(resource);
        return legacy.handle(header(ApiKey.ALTER_CONFIGS, 2), request).join().responses().get(0);
    }

    @Test
    void setsAndDeletesTopicKeysAndTheLiveLogFollows() {
        ctx.createTopic("live", 1);
        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse result =
            alterTopic("live", SET, "max.message.bytes", "100", SET, "retention.ms", "60000");
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(result.errorMessage()).isNull();
        assertThat(result.resourceType()).isEqualTo(TOPIC);
        assertThat(result.resourceName()).isEqualTo("live");
        assertThat(overrides("live")).containsOnly(Map.entry("max.message.bytes", "100"), Map.entry("retention.ms", "60000"));
        assertThat(ctx.partition("live", 0).log().config().maxMessageBytes()).isEqualTo(100);
        assertThat(ctx.partition("live", 0).log().config().retentionMs()).isEqualTo(60000);
        assertThatThrownBy(() -> ctx.append("live", 0, records(System.currentTimeMillis(), "x".repeat(200))))
            .isInstanceOf(StorageException.class)
            .satisfies(e -> assertThat(((StorageException) e).error()).isEqualTo(Errors.MESSAGE_TOO_LARGE));

        assertThat(alterTopic("live", DELETE, "max.message.bytes", null).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(overrides("live")).containsOnly(Map.entry("retention.ms", "60000"));
        assertThat(ctx.partition("live", 0).log().config().maxMessageBytes()).isEqualTo(1024 * 1024 + 12);
    }

    @Test
    void appendsToAndSubtractsFromListKeysStartingFromTheDefault() {
        ctx.createTopic("policy", 1);
        assertThat(alterTopic("policy", APPEND, "cleanup.policy", "compact").errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(overrides("policy")).containsEntry("cleanup.policy", "delete,compact");
        assertThat(ctx.partition("policy", 0).log().config().compact()).isTrue();
        assertThat(ctx.partition("policy", 0).log().config().delete()).isTrue();

        assertThat(alterTopic("policy", SUBTRACT, "cleanup.policy", "delete").errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(overrides("policy")).containsEntry("cleanup.policy", "compact");
        assertThat(ctx.partition("policy", 0).log().config().delete()).isFalse();

        assertThat(alterTopic("policy", APPEND, "retention.ms", "5").errorCode()).as("not a list").isEqualTo(Errors.INVALID_CONFIG.code);
    }

    @Test
    void refusesInvalidValuesAndUnknownKeysWithAMessage() {
        ctx.createTopic("strict", 1);
        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse bad = alterTopic("strict", SET, "retention.ms", "soon");
        assertThat(bad.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code);
        assertThat(bad.errorMessage()).contains("retention.ms").contains("soon");
        assertThat(alterTopic("strict", SET, "segment.bytes", "1").errorCode()).as("below the minimum").isEqualTo(Errors.INVALID_CONFIG.code);
        IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse unknown = alterTopic("strict", SET, "retention.days", "1");
        assertThat(unknown.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code);
        assertThat(unknown.errorMessage()).contains("retention.days");
        assertThat(overrides("strict")).isEmpty();
        assertThat(alterTopic("missing", SET, "retention.ms", "1").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
    }

    @Test
    void validateOnlyChangesNothing() {
        ctx.createTopic("dry", 1);
        assertThat(alter(true, resource(TOPIC, "dry", SET, "retention.ms", "1000")).get(0).errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(overrides("dry")).isEmpty();
        assertThat(alter(true, resource(TOPIC, "dry", SET, "retention.ms", "x")).get(0).errorCode()).isEqualTo(Errors.INVALID_CONFIG.code);
    }

    @Test
    void refusesBrokerResourcesDuplicatesAndUnknownOperations() {
        ctx.createTopic("other", 1);
        List<IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse> results = alter(false,
            resource(BROKER, "1", SET, "log.retention.hours", "1"),
            resource(TOPIC, "other", SET, "retention.ms", "1"),
            resource(TOPIC, "other", SET, "retention.ms", "2"),
            resource(TOPIC, "dup-free", (byte) 9, "retention.ms", "1"),
            resource((byte) 8, "1", SET, "root", "DEBUG"));
        assertThat(results).extracting(IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse::resourceName)
            .containsExactly("1", "other", "other", "dup-free", "1");
        assertThat(results).extracting(IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse::errorCode)
            .containsOnly(Errors.INVALID_REQUEST.code);
        assertThat(results.get(0).errorMessage()).contains("not supported");
        assertThat(overrides("other")).isEmpty();
    }

    @Test
    void legacyAlterConfigsReplacesTheWholeOverrideSet() {
        ctx.createTopic("legacy", 1, Map.of("retention.ms", "1000", "segment.bytes", "1048576"));
        AlterConfigsResponseData.AlterConfigsResourceResponse result = replace("legacy", "max.message.bytes", "2048");
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(result.errorMessage()).isNull();
        assertThat(overrides("legacy")).containsOnly(Map.entry("max.message.bytes", "2048"));
        assertThat(ctx.partition("legacy", 0).log().config().maxMessageBytes()).isEqualTo(2048);
        assertThat(ctx.partition("legacy", 0).log().config().segmentBytes()).isEqualTo(1024 * 1024 * 1024);

        AlterConfigsResponseData.AlterConfigsResourceResponse bad = replace("legacy", "min.insync.replicas", "0");
        assertThat(bad.errorCode()).isEqualTo(Errors.INVALID_CONFIG.code);
        assertThat(bad.errorMessage()).contains("min.insync.replicas");
        assertThat(replace("legacy", "retention.ms", "1", "retention.ms", "2").errorCode()).isEqualTo(Errors.INVALID_REQUEST.code);
        assertThat(overrides("legacy")).containsOnly(Map.entry("max.message.bytes", "2048"));
    }
}
