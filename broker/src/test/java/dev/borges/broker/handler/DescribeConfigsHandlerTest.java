package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.DescribeConfigsRequestData;
import dev.borges.protocol.message.DescribeConfigsResponseData;
import dev.borges.protocol.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import dev.borges.storage.config.ConfigKey;
import dev.borges.storage.config.LogConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DescribeConfigsHandlerTest {
    private static final byte TOPIC = 2;
    private static final byte BROKER = 4;

    private AdminTestContext ctx;
    private DescribeConfigsHandler handler;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        ctx = new AdminTestContext(dir, Map.of("log.retention.hours", "48", "log.segment.bytes", "2097152"));
        handler = new DescribeConfigsHandler(ctx.config, ctx.publisher::image);
        ctx.createTopic("orders", 1, Map.of("retention.ms", "1000", "cleanup.policy", "compact,delete"));
    }

    @AfterAll
    void stop() {
        ctx.close();
    }

    private DescribeConfigsResponseData.DescribeConfigsResult describe(int version, byte type, String name, List<String> keys,
                                                                        boolean synonyms, boolean documentation) {
        DescribeConfigsRequestData request = new DescribeConfigsRequestData().setIncludeSynonyms(synonyms)
            .setIncludeDocumentation(documentation);
        request.resources().add(new DescribeConfigsRequestData.DescribeConfigsResource().setResourceType(type).setResourceName(name)
            .setConfigurationKeys(keys == null ? null : new ArrayList<>(keys)));
        DescribeConfigsResponseData.DescribeConfigsResult result = handler.handle(header(ApiKey.DESCRIBE_CONFIGS, version), request)
            .join().results().get(0);
        assertThat(result.resourceType()).isEqualTo(type);
        assertThat(result.resourceName()).isEqualTo(name);
        return result;
    }

    private static DescribeConfigsResourceResult entry(DescribeConfigsResponseData.DescribeConfigsResult result, String name) {
        return result.configs().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> chain(DescribeConfigsResourceResult entry) {
        return entry.synonyms().stream().map(s -> s.name() + "=" + s.value() + "@" + s.source()).toList();
    }

    @Test
    void describesEveryTopicKeyWithItsValueSourceAndType() {
        DescribeConfigsResponseData.DescribeConfigsResult result = describe(4, TOPIC, "orders", null, false, false);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(result.errorMessage()).isNull();
        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name)
            .containsExactlyElementsOf(LogConfig.KEYS.stream().map(ConfigKey::name).toList());
        assertThat(result.configs()).allSatisfy(c -> {
            assertThat(c.readOnly()).isFalse();
            assertThat(c.isSensitive()).isFalse();
            assertThat(c.synonyms()).as("not asked for").isEmpty();
            assertThat(c.documentation()).isNull();
        });

        DescribeConfigsResourceResult retention = entry(result, "retention.ms");
        assertThat(retention.value()).isEqualTo("1000");
        assertThat(retention.configSource()).as("DYNAMIC_TOPIC_CONFIG").isEqualTo((byte) 1);
        assertThat(retention.configType()).as("LONG").isEqualTo((byte) 5);

        DescribeConfigsResourceResult segment = entry(result, "segment.bytes");
        assertThat(segment.value()).isEqualTo("2097152");
        assertThat(segment.configSource()).as("STATIC_BROKER_CONFIG: log.segment.bytes is set").isEqualTo((byte) 4);
        assertThat(segment.configType()).as("INT").isEqualTo((byte) 3);

        DescribeConfigsResourceResult index = entry(result, "index.interval.bytes");
        assertThat(index.value()).isEqualTo("4096");
        assertThat(index.configSource()).as("DEFAULT_CONFIG").isEqualTo((byte) 5);

        assertThat(entry(result, "cleanup.policy").value()).isEqualTo("compact,delete");
        assertThat(entry(result, "cleanup.policy").configType()).as("LIST").isEqualTo((byte) 7);
        assertThat(entry(result, "min.cleanable.dirty.ratio").value()).isEqualTo("0.5");
        assertThat(entry(result, "min.cleanable.dirty.ratio").configType()).as("DOUBLE").isEqualTo((byte) 6);
        assertThat(entry(result, "preallocate").configType()).as("BOOLEAN").isEqualTo((byte) 1);
        assertThat(entry(result, "compression.type").configType()).as("STRING").isEqualTo((byte) 2);
    }

    @Test
    void synonymsRunFromTheTopicSettingThroughTheBrokerKeysToTheDefaults() {
        DescribeConfigsResponseData.DescribeConfigsResult result = describe(4, TOPIC, "orders", null, true, true);
        assertThat(chain(entry(result, "retention.ms")))
            .containsExactly("retention.ms=1000@1", "log.retention.hours=48@4", "log.retention.hours=168@5");
        assertThat(chain(entry(result, "segment.bytes")))
            .containsExactly("log.segment.bytes=2097152@4", "log.segment.bytes=1073741824@5");
        assertThat(chain(entry(result, "max.message.bytes"))).containsExactly("message.max.bytes=1048588@5");
        assertThat(entry(result, "retention.ms").documentation()).isNotBlank();
    }

    @Test
    void narrowsToTheAskedKeysAndLeavesVersionThreeFieldsOutOfOlderVersions() {
        DescribeConfigsResponseData.DescribeConfigsResult result = describe(1, TOPIC, "orders", List.of("retention.ms", "no.such.key"),
            true, true);
        assertThat(result.configs()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("retention.ms");
            assertThat(c.configType()).isZero();
            assertThat(c.documentation()).isNull();
        });
    }

    @Test
    void answersUnknownAndIllegalTopics() {
        DescribeConfigsResponseData.DescribeConfigsResult missing = describe(4, TOPIC, "missing", null, false, false);
        assertThat(missing.errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code);
        assertThat(missing.errorMessage()).contains("missing");
        assertThat(missing.configs()).isEmpty();
        assertThat(describe(4, TOPIC, "bad/name", null, false, false).errorCode()).isEqualTo(Errors.INVALID_TOPIC_EXCEPTION.code);
    }

    @Test
    void describesThisBrokersKeysAsReadOnlyWithStaticAndDefaultSources() {
        DescribeConfigsResponseData.DescribeConfigsResult result = describe(4, BROKER, "1", null, true, false);
        assertThat(result.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(result.configs()).extracting(DescribeConfigsResourceResult::name)
            .containsExactlyElementsOf(BrokerConfig.KEYS.stream().map(ConfigKey::name).toList());
        assertThat(result.configs()).allSatisfy(c -> assertThat(c.readOnly()).isTrue());

        DescribeConfigsResourceResult hours = entry(result, "log.retention.hours");
        assertThat(hours.value()).isEqualTo("48");
        assertThat(hours.configSource()).isEqualTo((byte) 4);
        assertThat(chain(hours)).containsExactly("log.retention.hours=48@4", "log.retention.hours=168@5");

        DescribeConfigsResourceResult ms = entry(result, "log.retention.ms");
        assertThat(ms.value()).as("unset: log.retention.hours decides").isNull();
        assertThat(ms.configSource()).isEqualTo((byte) 5);
        assertThat(ms.synonyms()).isEmpty();

        DescribeConfigsResourceResult partitions = entry(result, "num.partitions");
        assertThat(partitions.value()).isEqualTo("1");
        assertThat(partitions.configSource()).isEqualTo((byte) 5);
        assertThat(partitions.configType()).isEqualTo((byte) 3);
    }

    @Test
    void answersTheClusterDefaultEmptyAndRefusesOtherBrokersAndResourceTypes() {
        DescribeConfigsResponseData.DescribeConfigsResult defaults = describe(4, BROKER, "", null, false, false);
        assertThat(defaults.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(defaults.configs()).as("no dynamic cluster-wide defaults").isEmpty();
        assertThat(describe(4, BROKER, "7", null, false, false).errorCode()).isEqualTo(Errors.INVALID_REQUEST.code);
        assertThat(describe(4, (byte) 8, "1", null, false, false).errorCode()).as("broker loggers").isEqualTo(Errors.INVALID_REQUEST.code);
    }
}
