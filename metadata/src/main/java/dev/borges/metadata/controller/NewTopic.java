package dev.borges.metadata.controller;

import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A topic to create, as a CreateTopics request carries it. Either {@code numPartitions} and
 * {@code replicationFactor} (each -1 for the controller's default), or explicit
 * {@code assignments} (replica broker ids per partition, partitions 0..n-1, with both counts -1).
 * {@code configs} are topic config overrides by Kafka name.
 */
public record NewTopic(
    String name,
    int numPartitions,
    short replicationFactor,
    Map<Integer, List<Integer>> assignments,
    Map<String, String> configs) {

    public NewTopic {
        Objects.requireNonNull(name, "name");
        assignments = Map.copyOf(assignments);
        // Values may be null (the request said so); copy without Map.copyOf, which rejects nulls.
        configs = Collections.unmodifiableMap(new HashMap<>(configs));
    }

    /** A topic with the given counts and no config overrides. */
    public static NewTopic of(String name, int numPartitions, int replicationFactor) {
        return new NewTopic(name, numPartitions, (short) replicationFactor, Map.of(), Map.of());
    }

    public NewTopic withConfigs(Map<String, String> newConfigs) {
        return new NewTopic(name, numPartitions, replicationFactor, assignments, newConfigs);
    }
}
