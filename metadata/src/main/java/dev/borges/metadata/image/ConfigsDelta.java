package dev.borges.metadata.image;

import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.ConfigResource;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Config changes on top of a {@link ConfigsImage}: the new overrides of every touched resource (an
 * empty map once its last override is deleted). Not thread-safe; owned by {@link MetadataDelta}.
 */
final class ConfigsDelta {
    private final ConfigsImage base;
    private final Map<ConfigResource, Map<String, String>> changed = new HashMap<>();

    ConfigsDelta(ConfigsImage base) {
        this.base = base;
    }

    void replay(ConfigRecord record) {
        Map<String, String> configs = changed.computeIfAbsent(record.resource(),
            resource -> new HashMap<>(base.configs(resource)));
        if (record.value() == null) {
            configs.remove(record.name());
        } else {
            configs.put(record.name(), record.value());
        }
    }

    /** A deleted topic's overrides go with it (a new topic of the same name starts without them). */
    void removeTopic(String topicName) {
        changed.put(ConfigResource.topic(topicName), new HashMap<>());
    }

    ConfigsImage apply() {
        if (changed.isEmpty()) {
            return base;
        }
        Map<ConfigResource, Map<String, String>> resources = new HashMap<>(base.resources());
        changed.forEach((resource, configs) -> {
            if (configs.isEmpty()) {
                resources.remove(resource);
            } else {
                resources.put(resource, Map.copyOf(configs));
            }
        });
        return new ConfigsImage(resources);
    }

    /** Resources whose overrides now differ from the base image. */
    Set<ConfigResource> changedResources() {
        Set<ConfigResource> resources = new HashSet<>();
        changed.forEach((resource, configs) -> {
            if (!configs.equals(base.configs(resource))) {
                resources.add(resource);
            }
        });
        return resources;
    }
}
