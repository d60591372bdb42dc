package dev.borges.broker.group.assignor;

import java.util.Map;

/**
 * Kafka's "uniform" server-side assignor (the default of {@code group.consumer.assignors}): spreads
 * partitions evenly over the members, whatever their topics, and keeps each member's partitions
 * where it can, so a member joining or leaving moves few partitions.
 *
 * <p>When every member subscribes to the same topics, {@link UniformHomogeneousAssignment} gives
 * each member ⌊P/M⌋ or ⌈P/M⌉ partitions and moves only partitions above a member's quota. Otherwise
 * {@link UniformHeterogeneousAssignment} keeps current partitions, places the rest on the least
 * loaded subscriber, then moves partitions from a member to a less loaded subscriber of the same
 * topic while the two differ by two or more. Stateless; see {@link PartitionAssignor}.
 */
public final class UniformAssignor implements PartitionAssignor {
    public static final String NAME = "uniform";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(AssignmentSpec spec) {
        return spec.isHomogeneous()
            ? UniformHomogeneousAssignment.assign(spec)
            : UniformHeterogeneousAssignment.assign(spec);
    }
}
