package dev.borges.broker.group.consumer;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The records and timer changes that take a member out of its group: when it leaves (epoch -1),
 * when its session times out, when it does not give partitions back within its rebalance timeout.
 * Its partitions are released at once, its target is dropped, the subscription metadata follows
 * the remaining members and the group epoch is bumped, so the next heartbeat of any member
 * computes a target assignment without it. Stateless.
 */
final class MemberRemoval {
    private MemberRemoval() {
    }

    static void remove(
            ConsumerGroup group,
            ConsumerGroupMember member,
            TopicSubscriptions subscriptions,
            TopicsView topics,
            List<ConsumerGroupRecord> records,
            List<TimerChange> timers) {
        String groupId = group.groupId();
        records.addAll(tombstones(groupId, member.memberId()));
        Map<String, ConsumerGroupRecord.TopicMetadata> metadata = subscriptions.metadata(
            namesWithout(group.topicNameSubscribers(), member.subscribedTopicNames()),
            namesWithout(group.regexSubscribers(),
                member.subscribedTopicRegex() == null ? List.of() : List.of(member.subscribedTopicRegex())),
            topics);
        if (!metadata.equals(group.subscriptionMetadata())) {
            records.add(new ConsumerGroupRecord.SubscriptionMetadata(groupId, metadata));
        }
        records.add(new ConsumerGroupRecord.GroupEpoch(groupId, group.groupEpoch() + 1));
        cancelTimers(groupId, member.memberId(), timers);
    }

    /** A member's records deleted, in the order replay expects: current assignment, target, subscription. */
    static List<ConsumerGroupRecord> tombstones(String groupId, String memberId) {
        return List.of(
            ConsumerGroupRecord.Tombstone.ofMember(ConsumerGroupRecord.RecordType.CURRENT_MEMBER_ASSIGNMENT, groupId, memberId),
            ConsumerGroupRecord.Tombstone.ofMember(ConsumerGroupRecord.RecordType.TARGET_ASSIGNMENT_MEMBER, groupId, memberId),
            ConsumerGroupRecord.Tombstone.ofMember(ConsumerGroupRecord.RecordType.MEMBER_METADATA, groupId, memberId));
    }

    static void cancelTimers(String groupId, String memberId, List<TimerChange> timers) {
        timers.add(new TimerChange.Cancel(new ConsumerGroupTimeout.Session(groupId, memberId).key()));
        timers.add(new TimerChange.Cancel(new ConsumerGroupTimeout.Rebalance(groupId, memberId, 0).key()));
    }

    /** The keys with a subscriber count, after one subscriber of each of {@code removed} goes away. */
    static Set<String> namesWithout(Map<String, Integer> counts, List<String> removed) {
        Set<String> names = new HashSet<>(counts.keySet());
        for (String name : removed) {
            if (counts.getOrDefault(name, 0) <= 1) {
                names.remove(name);
            }
        }
        return names;
    }
}
