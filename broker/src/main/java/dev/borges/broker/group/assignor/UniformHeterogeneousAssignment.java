package dev.borges.broker.group.assignor;

import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The uniform assignment when members subscribe to different topics.
 *
 * <p>Three passes. <b>Keep</b>: every member keeps the current partitions it still subscribes to.
 * <b>Place</b>: each partition nobody kept goes to the least loaded member subscribed to its topic
 * (topics with the fewest subscribers first, since they have the least choice). <b>Balance</b>: a
 * partition moves from its member to a subscriber of its topic holding at least two fewer
 * partitions, until no such move is left. Each move lowers the sum of the squared member loads, so
 * balancing ends; when it does, no member could hand a partition to a subscriber of its topic and
 * narrow the gap, which for a homogeneous group means loads within one of each other. Partitions
 * move only to close a gap of two or more, so members keep what they have where balance allows.
 * Ties go to the lower member id, so the result is deterministic. Stateless.
 */
final class UniformHeterogeneousAssignment {
    private UniformHeterogeneousAssignment() {
    }

    static Map<String, Assignment> assign(AssignmentSpec spec) {
        List<String> memberIds = new ArrayList<>(spec.members().keySet());
        Map<Uuid, List<String>> subscribers = new HashMap<>();
        Map<String, TreeSet<TopicPartition>> assigned = new LinkedHashMap<>();
        Map<TopicPartition, String> owners = new HashMap<>();
        for (String memberId : memberIds) {
            AssignmentSpec.MemberSpec member = spec.members().get(memberId);
            for (Uuid topicId : member.subscribedTopicIds()) {
                if (spec.partitionCount(topicId) > 0) {
                    subscribers.computeIfAbsent(topicId, id -> new ArrayList<>()).add(memberId);
                }
            }
            TreeSet<TopicPartition> mine = new TreeSet<>();
            for (TopicPartition partition : UniformHomogeneousAssignment.validCurrent(
                    member.currentAssignment(), member.subscribedTopicIds(), spec)) {
                if (owners.putIfAbsent(partition, memberId) == null) {
                    mine.add(partition);
                }
            }
            assigned.put(memberId, mine);
        }

        List<Uuid> topics = new ArrayList<>(subscribers.keySet());
        topics.sort(Comparator.comparingInt((Uuid id) -> subscribers.get(id).size()).thenComparing(Assignment.TOPIC_ORDER));
        for (Uuid topicId : topics) {
            for (int index = 0; index < spec.partitionCount(topicId); index++) {
                TopicPartition partition = new TopicPartition(topicId, index);
                if (!owners.containsKey(partition)) {
                    String to = leastLoaded(subscribers.get(topicId), assigned);
                    owners.put(partition, to);
                    assigned.get(to).add(partition);
                }
            }
        }

        boolean moved = true;
        while (moved) {
            moved = false;
            List<String> mostLoadedFirst = new ArrayList<>(memberIds);
            mostLoadedFirst.sort(Comparator.comparingInt((String id) -> -assigned.get(id).size()).thenComparing(id -> id));
            for (String from : mostLoadedFirst) {
                TreeSet<TopicPartition> theirs = assigned.get(from);
                for (TopicPartition partition : new ArrayList<>(theirs)) {
                    String to = leastLoaded(subscribers.get(partition.topicId()), assigned);
                    if (assigned.get(to).size() + 1 < theirs.size()) {
                        theirs.remove(partition);
                        assigned.get(to).add(partition);
                        moved = true;
                    }
                }
            }
        }

        Map<String, Assignment> result = new LinkedHashMap<>();
        assigned.forEach((memberId, partitions) -> {
            Assignment.Builder builder = Assignment.builder();
            partitions.forEach(partition -> builder.add(partition.topicId(), partition.partition()));
            result.put(memberId, builder.build());
        });
        return result;
    }

    private static String leastLoaded(List<String> candidates, Map<String, ? extends Set<TopicPartition>> assigned) {
        String best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int load = assigned.get(candidate).size();
            if (load < bestLoad) {
                best = candidate;
                bestLoad = load;
            }
        }
        return best;
    }
}
