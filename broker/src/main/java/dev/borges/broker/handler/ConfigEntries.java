package dev.borges.broker.handler;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.protocol.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import dev.borges.protocol.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import dev.borges.storage.config.ConfigKey;
import dev.borges.storage.config.LogConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The entries of a DescribeConfigs answer, as Kafka's {@code ConfigHelper} builds them: value,
 * source, read-only flag, type, documentation and the synonym chain that explains where the value
 * comes from. Used by {@link DescribeConfigsHandler}; stateless apart from the broker's config.
 *
 * <p>A synonym chain lists, highest precedence first, every place that sets the key: a topic's own
 * setting ({@code DYNAMIC_TOPIC_CONFIG}), then the broker keys set in the properties file or an
 * override ({@code STATIC_BROKER_CONFIG}), then the broker keys' defaults ({@code DEFAULT_CONFIG}).
 * The first link is the entry's source. Example, with {@code log.retention.hours=48} in the file and
 * {@code retention.ms=1000} on the topic:
 * <pre>
 *   retention.ms = 1000   source DYNAMIC_TOPIC_CONFIG
 *     synonyms: retention.ms=1000 (1), log.retention.hours=48 (4), log.retention.hours=168 (5)
 * </pre>
 * Broker keys are read-only here: Borges cannot change broker configuration at run time.
 */
final class ConfigEntries {
    /** Kafka's {@code DescribeConfigsResponse.ConfigSource} ids. */
    static final byte DYNAMIC_TOPIC_CONFIG = 1;
    static final byte STATIC_BROKER_CONFIG = 4;
    static final byte DEFAULT_CONFIG = 5;

    /** What the request asked for besides values. */
    record Detail(boolean synonyms, boolean documentation, short version) {
    }

    private static final BrokerConfig DEFAULTS = BrokerConfig.defaults();

    private final BrokerConfig config;

    ConfigEntries(BrokerConfig config) {
        this.config = config;
    }

    /** A topic key: its effective value, and the chain topic setting → broker keys → defaults. */
    DescribeConfigsResourceResult topicEntry(ConfigKey key, LogConfig effective, Map<String, String> overrides, Detail detail) {
        String value = format(effective.value(key.name()));
        List<DescribeConfigsSynonym> chain = new ArrayList<>();
        if (overrides.containsKey(key.name())) {
            chain.add(synonym(key.name(), value, DYNAMIC_TOPIC_CONFIG));
        }
        chain.addAll(brokerChain(BrokerConfig.topicKeySynonyms(key.name())));
        return entry(key, value, false, chain, detail);
    }

    /**
     * A broker key: its value as set or by default (null when unset, like Kafka's keys without a
     * default), and its synonyms of equal or lower precedence.
     */
    DescribeConfigsResourceResult brokerEntry(ConfigKey key, Detail detail) {
        List<DescribeConfigsSynonym> chain = brokerChain(BrokerConfig.brokerKeySynonyms(key.name()));
        // As Kafka: a key's own chain starts at the key; higher-precedence synonyms are other entries.
        while (!chain.isEmpty() && !chain.get(0).name().equals(key.name())) {
            chain.remove(0);
        }
        return entry(key, config.valueText(key.name()).orElse(null), true, chain, detail);
    }

    private DescribeConfigsResourceResult entry(ConfigKey key, String value, boolean readOnly, List<DescribeConfigsSynonym> chain,
                                                Detail detail) {
        DescribeConfigsResourceResult entry = new DescribeConfigsResourceResult()
            .setName(key.name())
            .setValue(value)
            .setReadOnly(readOnly)
            .setConfigSource(chain.isEmpty() ? DEFAULT_CONFIG : chain.get(0).source())
            .setIsSensitive(false)
            .setDocumentation(null);
        if (detail.synonyms()) {
            entry.setSynonyms(chain);
        }
        if (detail.version() >= 3) {
            entry.setConfigType(typeId(key.type()));
            if (detail.documentation()) {
                entry.setDocumentation(key.doc());
            }
        }
        return entry;
    }

    /** Broker keys as synonyms: those set explicitly, in order, then those with a default, in order. */
    private List<DescribeConfigsSynonym> brokerChain(List<String> keys) {
        List<DescribeConfigsSynonym> chain = new ArrayList<>();
        for (String name : keys) {
            if (config.isExplicit(name)) {
                chain.add(synonym(name, config.valueText(name).orElse(null), STATIC_BROKER_CONFIG));
            }
        }
        for (String name : keys) {
            Optional<String> defaultValue = DEFAULTS.valueText(name);
            defaultValue.ifPresent(text -> chain.add(synonym(name, text, DEFAULT_CONFIG)));
        }
        return chain;
    }

    private static DescribeConfigsSynonym synonym(String name, String value, byte source) {
        return new DescribeConfigsSynonym().setName(name).setValue(value).setSource(source);
    }

    /** Kafka's {@code DescribeConfigsResponse.ConfigType} ids. */
    static byte typeId(ConfigKey.Type type) {
        return switch (type) {
            case BOOLEAN -> 1;
            case STRING -> 2;
            case INT -> 3;
            case LONG -> 5;
            case DOUBLE -> 6;
            case LIST -> 7;
        };
    }

    /** A value as Kafka prints it: lists comma-separated, everything else by {@code toString}. */
    static String format(Object value) {
        return value instanceof List<?> list ? String.join(",", list.stream().map(Object::toString).toList()) : String.valueOf(value);
    }
}
