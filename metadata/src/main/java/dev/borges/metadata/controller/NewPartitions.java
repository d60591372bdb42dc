package dev.borges.metadata.controller;

import java.util.List;
import java.util.Objects;

/**
 * Grow topic {@code name} to {@code totalCount} partitions, as a CreatePartitions request says.
 * {@code assignments} is empty (the controller places replicas) or lists the replicas of each new
 * partition in order.
 */
public record NewPartitions(String name, int totalCount, List<List<Integer>> assignments) {
    public NewPartitions {
        Objects.requireNonNull(name, "name");
        assignments = assignments.stream().map(List::copyOf).toList();
    }

    public static NewPartitions of(String name, int totalCount) {
        return new NewPartitions(name, totalCount, List.of());
    }
}
