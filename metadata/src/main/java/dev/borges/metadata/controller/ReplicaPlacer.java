package dev.borges.metadata.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Chooses replicas for new partitions: Kafka's rack-unaware assignment
 * ({@code AdminUtils.assignReplicasToBrokersRackUnaware}), not KRaft's striped placer. Racks are not
 * considered yet.
 *
 * <p>Brokers are sorted by id. A random start index picks the first replica of partition 0; each
 * next partition's first replica is the next broker round-robin, so leaders spread evenly. The other
 * replicas follow the first at a shift that grows by one after every full round of brokers, so
 * followers spread too. With one broker every replica list is that broker.
 *
 * <p>Not thread-safe (the random source); owned by the controller thread.
 */
final class ReplicaPlacer {
    private final Random random;

    ReplicaPlacer(Random random) {
        this.random = random;
    }

    /**
     * Replica lists for partitions {@code firstPartition .. firstPartition + count - 1}. The caller
     * has checked {@code 1 <= replicationFactor <= brokers.size()}.
     */
    List<List<Integer>> place(List<Integer> brokers, int firstPartition, int count, int replicationFactor) {
        List<Integer> sorted = brokers.stream().sorted().toList();
        int n = sorted.size();
        int startIndex = random.nextInt(n);
        int nextReplicaShift = random.nextInt(n);
        List<List<Integer>> placements = new ArrayList<>(count);
        for (int partition = firstPartition; partition < firstPartition + count; partition++) {
            if (partition > 0 && partition % n == 0) {
                nextReplicaShift++;
            }
            int first = (partition + startIndex) % n;
            List<Integer> replicas = new ArrayList<>(replicationFactor);
            replicas.add(sorted.get(first));
            for (int j = 0; j < replicationFactor - 1; j++) {
                int shift = 1 + (nextReplicaShift + j) % (n - 1);
                replicas.add(sorted.get((first + shift) % n));
            }
            placements.add(List.copyOf(replicas));
        }
        return placements;
    }
}
