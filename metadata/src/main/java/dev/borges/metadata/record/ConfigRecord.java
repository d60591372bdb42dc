package dev.borges.metadata.record;

import java.util.Objects;

/**
 * Config {@code name} of {@code resource} was set to {@code value}, or deleted (reverts to its
 * default) when {@code value} is null. Values are stored as the strings clients sent; the broker
 * interprets them.
 */
public record ConfigRecord(ConfigResource resource, String name, String value) implements MetadataRecord {
    public ConfigRecord {
        Objects.requireNonNull(resource, "resource");
        Objects.requireNonNull(name, "name");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.CONFIG;
    }
}
