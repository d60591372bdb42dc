package dev.borges.broker.handler;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.metadata.controller.TopicNames;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DescribeConfigsRequestData;
import dev.borges.protocol.message.DescribeConfigsResponseData;
import dev.borges.storage.config.ConfigKey;
import dev.borges.storage.config.LogConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * DescribeConfigs for topics and this broker (the Admin client's {@code describeConfigs()}).
 *
 * <ul>
 *   <li>A topic: every topic key ({@link LogConfig#KEYS}) with its effective value (the broker's
 *       {@code log.*} defaults with the topic's own settings from the metadata image on top), source
 *       and synonyms (see {@link ConfigEntries}). An illegal name is {@code INVALID_TOPIC_EXCEPTION},
 *       a missing topic {@code UNKNOWN_TOPIC_OR_PARTITION}.</li>
 *   <li>A broker named by this node's id: every broker key ({@link BrokerConfig#KEYS}), read-only.
 *       The empty name (the cluster-wide default) lists the dynamic cluster defaults, as Kafka does,
 *       and there are none here. Another broker id is {@code INVALID_REQUEST}.</li>
 *   <li>Other resource types (broker loggers, groups, client metrics) are {@code INVALID_REQUEST}.</li>
 * </ul>
 * {@code configurationKeys} narrows the answer to the named keys (unknown names are left out).
 * Stateless; reads the latest metadata image.
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequestData, DescribeConfigsResponseData> {
    private final BrokerConfig config;
    private final Supplier<MetadataImage> image;
    private final ConfigEntries entries;

    public DescribeConfigsHandler(BrokerConfig config, Supplier<MetadataImage> image) {
        this.config = config;
        this.image = image;
        this.entries = new ConfigEntries(config);
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_CONFIGS;
    }

    @Override
    public CompletableFuture<DescribeConfigsResponseData> handle(RequestHeader header, DescribeConfigsRequestData request) {
        ConfigEntries.Detail detail = new ConfigEntries.Detail(request.includeSynonyms(), request.includeDocumentation(),
            header.apiVersion());
        MetadataImage current = image.get();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsRequestData.DescribeConfigsResource resource : request.resources()) {
            DescribeConfigsResponseData.DescribeConfigsResult result = new DescribeConfigsResponseData.DescribeConfigsResult()
                .setResourceType(resource.resourceType())
                .setResourceName(resource.resourceName());
            Optional<String> error = describe(current, resource, result, detail);
            result.setErrorMessage(error.orElse(null));
            response.results().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Fills in {@code result}; answers the error message, if any. */
    private Optional<String> describe(MetadataImage current, DescribeConfigsRequestData.DescribeConfigsResource resource,
                                      DescribeConfigsResponseData.DescribeConfigsResult result, ConfigEntries.Detail detail) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        String name = resource.resourceName();
        List<String> keys = resource.configurationKeys();
        if (type == ConfigResource.Type.TOPIC) {
            Optional<String> illegal = TopicNames.validate(name);
            if (illegal.isPresent()) {
                return fail(result, Errors.INVALID_TOPIC_EXCEPTION, illegal.get());
            }
            if (current.topics().topic(name) == null) {
                return fail(result, Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + name + "' does not exist.");
            }
            Map<String, String> overrides = current.configs().configs(ConfigResource.topic(name));
            LogConfig effective = config.logConfig(overrides);
            for (ConfigKey key : LogConfig.KEYS) {
                if (keys == null || keys.contains(key.name())) {
                    result.configs().add(entries.topicEntry(key, effective, overrides, detail));
                }
            }
        } else if (type == ConfigResource.Type.BROKER) {
            if (name.isEmpty()) {
                return ok(result);
            }
            if (!name.equals(Integer.toString(config.nodeId()))) {
                return fail(result, Errors.INVALID_REQUEST, "Unexpected broker id, expected " + config.nodeId()
                    + " or empty string, but received " + name);
            }
            for (ConfigKey key : BrokerConfig.KEYS) {
                if (keys == null || keys.contains(key.name())) {
                    result.configs().add(entries.brokerEntry(key, detail));
                }
            }
        } else {
            return fail(result, Errors.INVALID_REQUEST, "Unsupported resource type " + resource.resourceType()
                + ": Borges describes topic and broker configurations");
        }
        return ok(result);
    }

    private static Optional<String> ok(DescribeConfigsResponseData.DescribeConfigsResult result) {
        result.setErrorCode(Errors.NONE.code);
        return Optional.empty();
    }

    private static Optional<String> fail(DescribeConfigsResponseData.DescribeConfigsResult result, Errors error, String message) {
        result.setErrorCode(error.code);
        return Optional.of(message);
    }
}
