package dev.borges.broker.group.assignor;

import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The uniform assignment when all members subscribe to the same topics.
 *
 * <p>With P partitions and M members every member gets a quota of ⌊P/M⌋, and P mod M of them one
 * more. First each member keeps its current partitions up to ⌊P/M⌋; then, while extra slots last,
 * members that held more than that keep one more (those that held the most first). Partitions no
 * one kept go, in topic and partition order, to members below ⌊P/M⌋, then one each to members
 * still without an extra slot. A partition moves only if its member held more than its new quota,
 * which is the fewest moves any balanced assignment needs. Members go in id order, so the result
 * is deterministic. Stateless.
 */
final class UniformHomogeneousAssignment {
    private UniformHomogeneousAssignment() {
    }

    static Map<String, Assignment> assign(AssignmentSpec spec) {
        List<String> memberIds = new ArrayList<>(spec.members().keySet());
        Map<String, Assignment> result = new LinkedHashMap<>();
        if (memberIds.isEmpty()) {
            return result;
        }
        Set<Uuid> topics = spec.members().get(memberIds.get(0)).subscribedTopicIds();
        List<TopicPartition> all = allPartitions(topics, spec);
        int minQuota = all.size() / memberIds.size();
        int extras = all.size() % memberIds.size();

        Map<TopicPartition, String> owners = new HashMap<>();
        Map<String, List<TopicPartition>> held = new HashMap<>();
        Map<String, List<TopicPartition>> assigned = new LinkedHashMap<>();
        Map<String, Integer> cursors = new HashMap<>();
        for (String memberId : memberIds) {
            List<TopicPartition> valid = validCurrent(spec.members().get(memberId).currentAssignment(), topics, spec);
            held.put(memberId, valid);
            List<TopicPartition> mine = new ArrayList<>();
            int cursor = 0;
            while (cursor < valid.size() && mine.size() < minQuota) {
                TopicPartition partition = valid.get(cursor++);
                if (owners.putIfAbsent(partition, memberId) == null) {
                    mine.add(partition);
                }
            }
            cursors.put(memberId, cursor);
            assigned.put(memberId, mine);
        }

        List<String> mostHeldFirst = new ArrayList<>(memberIds);
        mostHeldFirst.sort(Comparator.comparingInt((String id) -> -held.get(id).size()).thenComparing(id -> id));
        for (String memberId : mostHeldFirst) {
            if (extras == 0) {
                break;
            }
            List<TopicPartition> mine = assigned.get(memberId);
            List<TopicPartition> valid = held.get(memberId);
            if (mine.size() < minQuota) {
                continue;
            }
            for (int cursor = cursors.get(memberId); cursor < valid.size(); cursor++) {
                if (owners.putIfAbsent(valid.get(cursor), memberId) == null) {
                    mine.add(valid.get(cursor));
                    extras--;
                    break;
                }
            }
        }

        int next = 0;
        List<TopicPartition> unowned = new ArrayList<>();
        for (TopicPartition partition : all) {
            if (!owners.containsKey(partition)) {
                unowned.add(partition);
            }
        }
        for (String memberId : memberIds) {
            List<TopicPartition> mine = assigned.get(memberId);
            while (mine.size() < minQuota) {
                mine.add(unowned.get(next++));
            }
        }
        for (String memberId : memberIds) {
            List<TopicPartition> mine = assigned.get(memberId);
            if (extras > 0 && mine.size() == minQuota) {
                mine.add(unowned.get(next++));
                extras--;
            }
        }

        assigned.forEach((memberId, partitions) -> {
            Assignment.Builder builder = Assignment.builder();
            partitions.forEach(partition -> builder.add(partition.topicId(), partition.partition()));
            result.put(memberId, builder.build());
        });
        return result;
    }

    /** Every partition of the subscribed topics that exist, in topic and partition order. */
    static List<TopicPartition> allPartitions(Set<Uuid> topics, AssignmentSpec spec) {
        List<TopicPartition> all = new ArrayList<>();
        topics.stream().sorted(Assignment.TOPIC_ORDER).forEach(topicId -> {
            for (int partition = 0; partition < spec.partitionCount(topicId); partition++) {
                all.add(new TopicPartition(topicId, partition));
            }
        });
        return all;
    }

    /** The member's current partitions that still exist and that it still subscribes to, in order. */
    static List<TopicPartition> validCurrent(Assignment current, Set<Uuid> topics, AssignmentSpec spec) {
        List<TopicPartition> valid = new ArrayList<>();
        current.partitions().forEach((topicId, partitions) -> {
            if (topics.contains(topicId)) {
                int count = spec.partitionCount(topicId);
                for (Integer partition : partitions) {
                    if (partition < count) {
                        valid.add(new TopicPartition(topicId, partition));
                    }
                }
            }
        });
        return valid;
    }
}
