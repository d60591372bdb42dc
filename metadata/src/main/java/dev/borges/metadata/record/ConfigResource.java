package dev.borges.metadata.record;

import java.util.Objects;

/**
 * What a config belongs to: a topic (by name) or a broker (by id as a string, or {@code ""} for the
 * cluster-wide broker default), as Kafka's DescribeConfigs / AlterConfigs name it.
 */
public record ConfigResource(Type type, String name) {
    public ConfigResource {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ConfigResource topic(String name) {
        return new ConfigResource(Type.TOPIC, name);
    }

    public static ConfigResource broker(int brokerId) {
        return new ConfigResource(Type.BROKER, Integer.toString(brokerId));
    }

    /** The cluster-wide default for every broker. */
    public static ConfigResource brokerDefault() {
        return new ConfigResource(Type.BROKER, "");
    }

    /** Resource types, with Kafka's ids ({@code ConfigResource.Type} on the wire). */
    public enum Type {
        TOPIC((byte) 2),
        BROKER((byte) 4);

        /** The id Kafka's protocol and our records use. */
        public final byte id;

        Type(byte id) {
            this.id = id;
        }

        /** The type with this id, or null when the id is not a type we store. */
        public static Type forId(byte id) {
            for (Type type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            return null;
        }
    }
}
