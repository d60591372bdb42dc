package dev.borges.broker.group.assignor;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server-side assignor of the KIP-848 consumer group protocol: from the members' subscriptions
 * and current targets, the new target assignment of every member. Clients pick one by name
 * ({@code group.remote.assignor}, sent as {@code ServerAssignor} in ConsumerGroupHeartbeat).
 *
 * <p>Contract: every member of the spec gets an entry (possibly empty); each partition of a
 * subscribed, existing topic goes to exactly one member that subscribes to that topic; no member
 * gets a partition of a topic it does not subscribe to. Implementations are stateless and
 * deterministic (the same spec gives the same result), so any thread may call them.
 */
public interface PartitionAssignor {
    /** The name clients use. */
    String name();

    /** The new target assignment, by member id. */
    Map<String, Assignment> assign(AssignmentSpec spec);

    /** Kafka 4's assignors, in Kafka's default preference order ({@code group.consumer.assignors}). */
    static List<PartitionAssignor> defaults() {
        return List.of(new UniformAssignor(), new RangeAssignor());
    }

    /** The assignor with this name among the given ones. */
    static Optional<PartitionAssignor> named(List<PartitionAssignor> assignors, String name) {
        return assignors.stream().filter(assignor -> assignor.name().equals(name)).findFirst();
    }
}
