package dev.borges.broker.handler;

import dev.borges.metadata.controller.QuorumController;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.AlterConfigsRequestData;
import dev.borges.protocol.message.AlterConfigsResponseData;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * AlterConfigs, the legacy API (deprecated since Kafka 2.3 in favour of IncrementalAlterConfigs,
 * KIP-339; the Java Admin client of Kafka 4 no longer has it, other clients and tools still send it): the given keys <em>replace</em> a topic's whole set
 * of overrides, so a key left out goes back to the broker default. Committed by the controller;
 * an unknown key or an invalid value is {@code INVALID_CONFIG}, a key named twice
 * {@code INVALID_REQUEST}. {@code validateOnly} checks and commits nothing. Broker and other
 * resources are refused (see {@link ConfigAlterations}). Stateless.
 */
public final class AlterConfigsHandler implements ApiHandler<AlterConfigsRequestData, AlterConfigsResponseData> {
    private final QuorumController controller;

    public AlterConfigsHandler(QuorumController controller) {
        this.controller = controller;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<AlterConfigsResponseData> handle(RequestHeader header, AlterConfigsRequestData request) {
        ConfigAlterations<Map<String, String>> alterations = new ConfigAlterations<>();
        for (AlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            Map<String, String> configs = new LinkedHashMap<>();
            String duplicate = null;
            for (AlterConfigsRequestData.AlterableConfig config : resource.configs()) {
                if (configs.containsKey(config.name())) {
                    duplicate = config.name();
                }
                configs.put(config.name(), config.value());
            }
            if (duplicate != null) {
                alterations.refuse(resource.resourceType(), resource.resourceName(), Errors.INVALID_REQUEST,
                    "Config " + duplicate + " appears more than once");
            } else {
                alterations.add(resource.resourceType(), resource.resourceName(), configs);
            }
        }
        return alterations.submit(changes -> controller.alterConfigs(changes, request.validateOnly()))
            .thenApply(answers -> {
                AlterConfigsResponseData response = new AlterConfigsResponseData();
                for (ConfigAlterations.Answer answer : answers) {
                    response.responses().add(new AlterConfigsResponseData.AlterConfigsResourceResponse()
                        .setResourceType(answer.resourceType())
                        .setResourceName(answer.resourceName())
                        .setErrorCode(answer.error().code)
                        .setErrorMessage(answer.error() == Errors.NONE ? null : answer.message()));
                }
                return response;
            });
    }
}
