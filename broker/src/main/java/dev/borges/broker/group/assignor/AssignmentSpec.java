package dev.borges.broker.group.assignor;

import dev.borges.protocol.types.Uuid;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a server-side assignor computes a target assignment from: the members, each with the topics
 * it subscribes to and its current target assignment (so the assignor can stay sticky), and the
 * partition count of every subscribed topic. Immutable; members iterate in member id order.
 *
 * @param members         by member id
 * @param partitionCounts partitions of each subscribed topic that exists; a member's subscription
 *                        may name a topic missing here (deleted since), which then gets nothing
 */
public record AssignmentSpec(Map<String, MemberSpec> members, Map<Uuid, Integer> partitionCounts) {

    public AssignmentSpec {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
        partitionCounts = Map.copyOf(partitionCounts);
    }

    /**
     * One member's input to the assignor.
     *
     * @param subscribedTopicIds the topics it subscribes to (by name or regex, resolved to ids)
     * @param currentAssignment  its target assignment before this computation
     */
    public record MemberSpec(Set<Uuid> subscribedTopicIds, Assignment currentAssignment) {
        public MemberSpec {
            subscribedTopicIds = Set.copyOf(subscribedTopicIds);
        }
    }

    /** True if every member subscribes to the same topics (Kafka's "homogeneous" subscription). */
    public boolean isHomogeneous() {
        Set<Uuid> first = null;
        for (MemberSpec member : members.values()) {
            if (first == null) {
                first = member.subscribedTopicIds();
            } else if (!first.equals(member.subscribedTopicIds())) {
                return false;
            }
        }
        return true;
    }

    /** The number of partitions of a topic, 0 if it does not exist. */
    public int partitionCount(Uuid topicId) {
        return partitionCounts.getOrDefault(topicId, 0);
    }
}
