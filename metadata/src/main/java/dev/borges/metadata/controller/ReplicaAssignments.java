package dev.borges.metadata.controller;

import dev.borges.protocol.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Checks of replica lists given explicitly in CreateTopics and CreatePartitions requests. Stateless. */
final class ReplicaAssignments {
    private ReplicaAssignments() {
    }

    /**
     * Empty when {@code replicas} is non-empty, has no broker twice, names only registered brokers,
     * and has {@code expectedSize} entries (when that is not -1); else INVALID_REPLICA_ASSIGNMENT.
     */
    static Optional<ApiError> validate(List<Integer> replicas, Set<Integer> brokers, int expectedSize) {
        if (replicas.isEmpty()) {
            return invalid("The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
        for (int broker : replicas) {
            if (!seen.add(broker)) {
                return invalid("The manual partition assignment includes the broker " + broker + " more than once.");
            }
            if (!brokers.contains(broker)) {
                return invalid("The manual partition assignment includes broker " + broker
                    + ", but no such broker is registered.");
            }
        }
        if (expectedSize != -1 && replicas.size() != expectedSize) {
            return invalid("The manual partition assignment includes a partition with " + replicas.size()
                + " replica(s), but this is not consistent with previous partitions, which have " + expectedSize
                + " replica(s).");
        }
        return Optional.empty();
    }

    static Optional<ApiError> invalid(String message) {
        return Optional.of(new ApiError(Errors.INVALID_REPLICA_ASSIGNMENT, message));
    }

    /** INVALID_REPLICATION_FACTOR when the brokers cannot hold {@code replicationFactor} replicas. */
    static Optional<ApiError> checkReplicationFactor(int replicationFactor, int brokerCount) {
        if (replicationFactor > brokerCount) {
            return Optional.of(new ApiError(Errors.INVALID_REPLICATION_FACTOR, "Unable to replicate the partition "
                + replicationFactor + " time(s): The target replication factor of " + replicationFactor
                + " cannot be reached because only " + brokerCount + " broker(s) are registered."));
        }
        return Optional.empty();
    }
}
