package dev.borges.broker.group.assignor;

import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kafka's "range" server-side assignor: each topic on its own, its subscribers in member id order
 * share its partitions in contiguous ranges. With P partitions and N subscribers each gets ⌊P/N⌋,
 * the first P mod N one more. Because the order is the same for every topic, members subscribed
 * to co-partitioned topics (same partition count) get the same partition numbers of each, which
 * is what joins of those topics need.
 *
 * <p>It is also sticky: per topic a member first keeps its current partitions of that topic, lowest
 * first, up to ⌊P/N⌋ (one more if it held more and extra slots are left); the partitions nobody
 * kept are then handed out in ascending ranges to the members short of their quota, in member
 * order. A fresh group therefore gets exact ranges, and a member joining or leaving moves only
 * the partitions above someone's new quota. Stateless; see {@link PartitionAssignor}.
 */
public final class RangeAssignor implements PartitionAssignor {
    public static final String NAME = "range";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, Assignment> assign(AssignmentSpec spec) {
        Map<Uuid, List<String>> subscribers = new TreeMap<>(Assignment.TOPIC_ORDER);
        Map<String, Assignment.Builder> builders = new LinkedHashMap<>();
        spec.members().forEach((memberId, member) -> {
            builders.put(memberId, Assignment.builder());
            for (Uuid topicId : member.subscribedTopicIds()) {
                if (spec.partitionCount(topicId) > 0) {
                    subscribers.computeIfAbsent(topicId, id -> new ArrayList<>()).add(memberId);
                }
            }
        });
        subscribers.forEach((topicId, memberIds) -> assignTopic(topicId, memberIds, spec, builders));

        Map<String, Assignment> result = new LinkedHashMap<>();
        builders.forEach((memberId, builder) -> result.put(memberId, builder.build()));
        return result;
    }

    /** Shares one topic's partitions among its subscribers, given in member id order. */
    private static void assignTopic(
            Uuid topicId, List<String> memberIds, AssignmentSpec spec, Map<String, Assignment.Builder> builders) {
        int partitionCount = spec.partitionCount(topicId);
        int minQuota = partitionCount / memberIds.size();
        int extras = partitionCount % memberIds.size();

        Set<Integer> kept = new HashSet<>();
        Map<String, Integer> shortBy = new LinkedHashMap<>();
        for (String memberId : memberIds) {
            List<Integer> current = new ArrayList<>();
            for (Integer partition : spec.members().get(memberId).currentAssignment().partitions(topicId)) {
                if (partition < partitionCount && !kept.contains(partition)) {
                    current.add(partition);
                }
            }
            int keep = Math.min(current.size(), minQuota);
            if (current.size() > minQuota && extras > 0) {
                keep++;
                extras--;
            } else {
                shortBy.put(memberId, minQuota - keep);
            }
            for (int index = 0; index < keep; index++) {
                kept.add(current.get(index));
                builders.get(memberId).add(topicId, current.get(index));
            }
        }

        List<Integer> free = new ArrayList<>();
        for (int partition = 0; partition < partitionCount; partition++) {
            if (!kept.contains(partition)) {
                free.add(partition);
            }
        }
        int next = 0;
        for (Map.Entry<String, Integer> entry : shortBy.entrySet()) {
            String memberId = entry.getKey();
            int count = entry.getValue();
            if (extras > 0) {
                count++;
                extras--;
            }
            builders.get(memberId).addAll(topicId, free.subList(next, next + count));
            next += count;
        }
    }
}
