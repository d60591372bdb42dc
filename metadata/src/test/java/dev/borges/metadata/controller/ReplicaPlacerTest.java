package dev.borges.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReplicaPlacerTest {
    @Test
    void putsEveryReplicaOnTheOnlyBroker() {
        List<List<Integer>> placement = new ReplicaPlacer(new Random(1)).place(List.of(5), 0, 4, 1);
        assertThat(placement).containsOnly(List.of(5)).hasSize(4);
    }

    /** Invariants: right sizes, distinct registered brokers per partition, leaders spread evenly. */
    @Property
    void spreadsLeadersAndNeverRepeatsABroker(@ForAll @IntRange(min = 1, max = 6) int brokers,
                                              @ForAll @IntRange(min = 1, max = 30) int partitions,
                                              @ForAll @IntRange(min = 1, max = 6) int replicationFactor,
                                              @ForAll long seed) {
        if (replicationFactor > brokers) {
            return;
        }
        List<Integer> ids = java.util.stream.IntStream.range(0, brokers).map(i -> i * 10).boxed().toList();
        List<List<Integer>> placement = new ReplicaPlacer(new Random(seed)).place(ids, 0, partitions, replicationFactor);
        assertThat(placement).hasSize(partitions);
        Map<Integer, Integer> leaders = new HashMap<>();
        for (List<Integer> replicas : placement) {
            assertThat(replicas).hasSize(replicationFactor);
            assertThat(new HashSet<>(replicas)).hasSize(replicationFactor);
            assertThat(ids).containsAll(replicas);
            leaders.merge(replicas.get(0), 1, Integer::sum);
        }
        int min = leaders.size() < brokers && partitions >= brokers ? 0 : leaders.values().stream().min(Integer::compare).orElse(0);
        int max = leaders.values().stream().max(Integer::compare).orElse(0);
        assertThat(max - min).as("leaders per broker differ by at most one").isLessThanOrEqualTo(1);
    }
}
