package dev.borges.broker.handler;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.metadata.controller.ConfigOp;
import dev.borges.metadata.controller.QuorumController;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.IncrementalAlterConfigsRequestData;
import dev.borges.protocol.message.IncrementalAlterConfigsResponseData;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * IncrementalAlterConfigs (the Admin client's {@code incrementalAlterConfigs()}): per topic, an
 * ordered list of SET, DELETE (back to the broker default), APPEND and SUBTRACT (list keys such as
 * {@code cleanup.policy}) operations, committed by the controller as one change. An unknown key or
 * an invalid value is {@code INVALID_CONFIG} with a message naming it; the change reaches the
 * topic's live logs through the {@code MetadataPublisher}. {@code validateOnly} checks and commits
 * nothing. Broker and other resources are refused (see {@link ConfigAlterations}); an unknown
 * operation id is {@code INVALID_REQUEST}. Stateless.
 *
 * <p>APPEND and SUBTRACT work on the key's current value, which for a key the topic does not set is
 * the broker default, as in Kafka: appending {@code compact} to a topic that deletes by default makes
 * {@code delete,compact}. The controller only knows the topic's own settings, so such an operation is
 * sent as the SET it amounts to, computed from the latest image. (A concurrent change of the same key
 * between that read and the commit is overwritten; the controller should own this once it knows
 * defaults.)
 */
public final class IncrementalAlterConfigsHandler
    implements ApiHandler<IncrementalAlterConfigsRequestData, IncrementalAlterConfigsResponseData> {
    private final BrokerConfig config;
    private final Supplier<MetadataImage> image;
    private final QuorumController controller;

    public IncrementalAlterConfigsHandler(BrokerConfig config, Supplier<MetadataImage> image, QuorumController controller) {
        this.config = config;
        this.image = image;
        this.controller = controller;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.INCREMENTAL_ALTER_CONFIGS;
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponseData> handle(RequestHeader header,
                                                                         IncrementalAlterConfigsRequestData request) {
        ConfigAlterations<List<ConfigOp>> alterations = new ConfigAlterations<>();
        MetadataImage current = image.get();
        for (IncrementalAlterConfigsRequestData.AlterConfigsResource resource : request.resources()) {
            Map<String, String> overrides = resource.resourceType() == ConfigResource.Type.TOPIC.id
                ? current.configs().configs(ConfigResource.topic(resource.resourceName())) : Map.of();
            Set<String> seen = new HashSet<>();
            List<ConfigOp> ops = new ArrayList<>();
            String unknownOp = null;
            for (IncrementalAlterConfigsRequestData.AlterableConfig alterable : resource.configs()) {
                ConfigOp.OpType type = ConfigOp.OpType.forId(alterable.configOperation());
                if (type == null) {
                    unknownOp = "Unknown config operation " + alterable.configOperation() + " for " + alterable.name();
                    break;
                }
                ConfigOp op = new ConfigOp(alterable.name(), type, alterable.value());
                ops.add(seen.add(op.name()) && !overrides.containsKey(op.name()) ? fromDefault(op) : op);
            }
            if (unknownOp != null) {
                alterations.refuse(resource.resourceType(), resource.resourceName(), Errors.INVALID_REQUEST, unknownOp);
            } else {
                alterations.add(resource.resourceType(), resource.resourceName(), ops);
            }
        }
        return alterations.submit(changes -> controller.incrementalAlterConfigs(changes, request.validateOnly()))
            .thenApply(answers -> {
                IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
                for (ConfigAlterations.Answer answer : answers) {
                    response.responses().add(new IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse()
                        .setResourceType(answer.resourceType())
                        .setResourceName(answer.resourceName())
                        .setErrorCode(answer.error().code)
                        .setErrorMessage(answer.error() == Errors.NONE ? null : answer.message()));
                }
                return response;
            });
    }

    /** APPEND / SUBTRACT of a key the topic does not set: the SET of the broker default with the items added or removed. */
    private ConfigOp fromDefault(ConfigOp op) {
        boolean append = op.op() == ConfigOp.OpType.APPEND;
        if (!(append || op.op() == ConfigOp.OpType.SUBTRACT) || op.value() == null
            || !(config.logConfig(Map.of()).value(op.name()) instanceof List<?> defaults)) {
            return op;
        }
        LinkedHashSet<String> items = new LinkedHashSet<>();
        defaults.forEach(item -> items.add(item.toString()));
        List<String> changed = Arrays.stream(op.value().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (append) {
            items.addAll(changed);
        } else {
            changed.forEach(items::remove);
        }
        return items.isEmpty() ? ConfigOp.delete(op.name()) : ConfigOp.set(op.name(), String.join(",", items));
    }
}
