package dev.borges.metadata.image;

import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.MetadataRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Config overrides by resource: only keys someone set, as strings; defaults live with the code that
 * reads the configs (the broker's config classes). A resource with no overrides is absent. Immutable.
 */
public record ConfigsImage(Map<ConfigResource, Map<String, String>> resources) {
    public static final ConfigsImage EMPTY = new ConfigsImage(Map.of());

    public ConfigsImage {
        resources = Map.copyOf(resources);
        for (Map<String, String> configs : resources.values()) {
            if (configs.isEmpty()) {
                throw new IllegalArgumentException("A resource without overrides must be absent");
            }
        }
    }

    /** The overrides of {@code resource}; empty when it has none. */
    public Map<String, String> configs(ConfigResource resource) {
        return resources.getOrDefault(resource, Map.of());
    }

    /** One ConfigRecord per override, in resource then key order. */
    void toRecords(List<MetadataRecord> out) {
        TreeMap<ConfigResource, Map<String, String>> sorted = new TreeMap<>(
            Comparator.comparing(ConfigResource::type).thenComparing(ConfigResource::name));
        sorted.putAll(resources);
        sorted.forEach((resource, configs) -> new TreeMap<>(configs)
            .forEach((name, value) -> out.add(new ConfigRecord(resource, name, value))));
    }
}
