package dev.borges.metadata.controller;

import java.util.Objects;

/**
 * One change of an IncrementalAlterConfigs request: set a key, delete it (back to its default), or
 * append to / subtract from a comma-separated list value. Op ids are Kafka's
 * ({@code AlterConfigOp.OpType}).
 */
public record ConfigOp(String name, OpType op, String value) {
    public ConfigOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
    }

    public static ConfigOp set(String name, String value) {
        return new ConfigOp(name, OpType.SET, value);
    }

    public static ConfigOp delete(String name) {
        return new ConfigOp(name, OpType.DELETE, null);
    }

    /** Kafka's operation types, with their protocol ids. */
    public enum OpType {
        SET((byte) 0),
        DELETE((byte) 1),
        APPEND((byte) 2),
        SUBTRACT((byte) 3);

        public final byte id;

        OpType(byte id) {
            this.id = id;
        }

        /** The type with this protocol id, or null. */
        public static OpType forId(byte id) {
            for (OpType type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            return null;
        }
    }
}
