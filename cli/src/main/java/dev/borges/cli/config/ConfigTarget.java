package dev.borges.cli.config;

import org.apache.kafka.common.config.ConfigResource;

/** What {@code borges config get|set} works on: {@code topic NAME} or {@code broker ID}. */
public enum ConfigTarget {
    TOPIC(ConfigResource.Type.TOPIC),
    BROKER(ConfigResource.Type.BROKER);

    private final ConfigResource.Type type;

    ConfigTarget(ConfigResource.Type type) {
        this.type = type;
    }

    public ConfigResource resource(String name) {
        return new ConfigResource(type, name);
    }
}
