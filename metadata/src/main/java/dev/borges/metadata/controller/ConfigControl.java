package dev.borges.metadata.controller;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.MetadataRecord;
import dev.borges.protocol.Errors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Validates config changes against an image and turns them into {@link ConfigRecord}s: one record
 * per key whose value changes (null value = delete). Each resource succeeds or fails on its own.
 *
 * <p>Checks, in Kafka's order and with its errors: a topic resource must be a valid name of an
 * existing topic (UNKNOWN_TOPIC_OR_PARTITION); a broker resource is {@code ""} (cluster default) or
 * a non-negative broker id (INVALID_REQUEST); a key appears once per resource (INVALID_REQUEST);
 * topic keys are known Kafka topic configs, and APPEND/SUBTRACT apply only to list configs
 * (INVALID_CONFIG); SET needs a value (INVALID_REQUEST); finally the injected
 * {@link ConfigValidator} sees the resulting overrides (INVALID_CONFIG). Broker config names are not
 * checked here: they are the broker's to know.
 *
 * <p>Pure function of (image, request); runs on the controller thread.
 */
final class ConfigControl {
    private final ConfigValidator validator;

    ConfigControl(ConfigValidator validator) {
        this.validator = validator;
    }

    /** Checks the config overrides of a topic being created; empty when they are fine. */
    Optional<ApiError> validateNewTopicConfigs(String topic, Map<String, String> configs) {
        for (Map.Entry<String, String> entry : configs.entrySet()) {
            if (entry.getValue() == null) {
                return error(Errors.INVALID_REQUEST, "Null value not supported for topic configs: " + entry.getKey());
            }
            if (!TopicConfigNames.ALL.contains(entry.getKey())) {
                return error(Errors.INVALID_CONFIG, "Unknown topic config name: " + entry.getKey());
            }
        }
        return validator.validate(ConfigResource.topic(topic), Map.copyOf(configs))
            .map(message -> new ApiError(Errors.INVALID_CONFIG, message));
    }

    ControllerResult<List<ConfigResult>> incrementalAlterConfigs(MetadataImage image,
                                                                 Map<ConfigResource, List<ConfigOp>> changes) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ConfigResult> results = new ArrayList<>();
        changes.forEach((resource, ops) -> {
            Map<String, String> current = image.configs().configs(resource);
            Optional<ApiError> error = checkResource(image, resource);
            Map<String, String> updated = new HashMap<>(current);
            Set<String> keys = new HashSet<>();
            for (ConfigOp op : ops) {
                if (error.isPresent()) {
                    break;
                }
                if (!keys.add(op.name())) {
                    error = error(Errors.INVALID_REQUEST, "Error due to duplicate config keys");
                } else {
                    error = applyOp(resource, op, updated);
                }
            }
            finish(resource, current, updated, error, records, results);
        });
        return new ControllerResult<>(records, results);
    }

    /** The legacy AlterConfigs: the given map replaces all overrides of the resource. */
    ControllerResult<List<ConfigResult>> alterConfigs(MetadataImage image, Map<ConfigResource, Map<String, String>> configs) {
        List<MetadataRecord> records = new ArrayList<>();
        List<ConfigResult> results = new ArrayList<>();
        configs.forEach((resource, values) -> {
            Map<String, String> current = image.configs().configs(resource);
            Optional<ApiError> error = checkResource(image, resource);
            Map<String, String> updated = new HashMap<>();
            for (Map.Entry<String, String> entry : values.entrySet()) {
                if (error.isPresent()) {
                    break;
                }
                error = applyOp(resource, ConfigOp.set(entry.getKey(), entry.getValue()), updated);
            }
            finish(resource, current, updated, error, records, results);
        });
        return new ControllerResult<>(records, results);
    }

    private void finish(ConfigResource resource, Map<String, String> current, Map<String, String> updated,
                        Optional<ApiError> error, List<MetadataRecord> records, List<ConfigResult> results) {
        if (error.isEmpty()) {
            error = validator.validate(resource, Map.copyOf(updated)).map(m -> new ApiError(Errors.INVALID_CONFIG, m));
        }
        if (error.isPresent()) {
            results.add(new ConfigResult(resource, error.get().error(), error.get().message()));
            return;
        }
        Set<String> keys = new TreeSet<>(current.keySet());
        keys.addAll(updated.keySet());
        for (String key : keys) {
            String after = updated.get(key);
            if (!Objects.equals(current.get(key), after)) {
                records.add(new ConfigRecord(resource, key, after));
            }
        }
        results.add(ConfigResult.ok(resource));
    }

    private static Optional<ApiError> checkResource(MetadataImage image, ConfigResource resource) {
        if (resource.type() == ConfigResource.Type.TOPIC) {
            if (TopicNames.validate(resource.name()).isPresent() || image.topics().topic(resource.name()) == null) {
                return error(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + resource.name() + "' does not exist.");
            }
            return Optional.empty();
        }
        if (!resource.name().isEmpty()) {
            try {
                if (Integer.parseInt(resource.name()) >= 0) {
                    return Optional.empty();
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            return error(Errors.INVALID_REQUEST, "Invalid broker id '" + resource.name() + "'");
        }
        return Optional.empty();
    }

    private static Optional<ApiError> applyOp(ConfigResource resource, ConfigOp op, Map<String, String> configs) {
        boolean topic = resource.type() == ConfigResource.Type.TOPIC;
        if (topic && !TopicConfigNames.ALL.contains(op.name())) {
            return error(Errors.INVALID_CONFIG, "Unknown topic config name: " + op.name());
        }
        switch (op.op()) {
            case SET -> {
                if (op.value() == null) {
                    return error(Errors.INVALID_REQUEST, "Null value not supported for config: " + op.name());
                }
                configs.put(op.name(), op.value());
            }
            case DELETE -> configs.remove(op.name());
            case APPEND, SUBTRACT -> {
                if (topic && !TopicConfigNames.LISTS.contains(op.name())) {
                    return error(Errors.INVALID_CONFIG, "Config value append is not allowed for config key: " + op.name());
                }
                if (op.value() == null) {
                    return error(Errors.INVALID_REQUEST, "Null value not supported for config: " + op.name());
                }
                LinkedHashSet<String> items = split(configs.get(op.name()));
                if (op.op() == ConfigOp.OpType.APPEND) {
                    items.addAll(split(op.value()));
                } else {
                    items.removeAll(split(op.value()));
                }
                if (items.isEmpty()) {
                    configs.remove(op.name());
                } else {
                    configs.put(op.name(), String.join(",", items));
                }
            }
            default -> throw new IllegalStateException("Unknown op " + op.op());
        }
        return Optional.empty();
    }

    private static LinkedHashSet<String> split(String list) {
        LinkedHashSet<String> items = new LinkedHashSet<>();
        if (list != null) {
            Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(items::add);
        }
        return items;
    }

    private static Optional<ApiError> error(Errors error, String message) {
        return Optional.of(new ApiError(error, message));
    }
}
