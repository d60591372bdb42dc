package dev.borges.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Named invariants of the server-side assignors over random groups (topics, partition counts,
 * members with random subscriptions and random current targets):
 * <ul>
 *   <li>{@code EveryPartitionOnce}: each partition of a subscribed, existing topic goes to exactly
 *       one member, and that member subscribes to its topic; nothing else is assigned.</li>
 *   <li>{@code Deterministic}: the same spec gives the same assignment.</li>
 *   <li>{@code UniformBalanced}: uniform, homogeneous: member loads within one of each other;
 *       heterogeneous: no member could hand a partition to a subscriber of its topic holding
 *       two or more fewer partitions.</li>
 *   <li>{@code RangeBalancedPerTopic}: range: per topic, subscribers' shares within one.</li>
 *   <li>{@code StickyJoin}/{@code StickyLeave}: homogeneous group, one member joins (leaves): no
 *       partition moves between the members that stay, so only the joiner's (leaver's) share moves.</li>
 * </ul>
 * A failing case names its seed; jqwik replays it first on the next run.
 */
class AssignorPropertyTest {
    private static final List<PartitionAssignor> ASSIGNORS = PartitionAssignor.defaults();

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 300)
    void everyPartitionGoesToExactlyOneSubscriber(@ForAll("seeds") long seed) {
        AssignmentSpec spec = randomSpec(new Random(seed), new Random(seed).nextBoolean());
        for (PartitionAssignor assignor : ASSIGNORS) {
            Map<String, Assignment> result = assignor.assign(spec);
            checkEveryPartitionOnce(assignor.name(), spec, result);
            assertThat(assignor.assign(spec)).as("%s is deterministic", assignor.name()).isEqualTo(result);
        }
    }

    @Property(tries = 300)
    void uniformBalancesHomogeneousGroupsWithinOne(@ForAll("seeds") long seed) {
        AssignmentSpec spec = randomSpec(new Random(seed), true);

        Map<String, Assignment> result = new UniformAssignor().assign(spec);

        int min = result.values().stream().mapToInt(Assignment::size).min().orElse(0);
        int max = result.values().stream().mapToInt(Assignment::size).max().orElse(0);
        assertThat(max - min).as("loads %s", loads(result)).isLessThanOrEqualTo(1);
    }

    @Property(tries = 300)
    void uniformLeavesNoMoveThatNarrowsAGapOfTwo(@ForAll("seeds") long seed) {
        AssignmentSpec spec = randomSpec(new Random(seed), false);

        Map<String, Assignment> result = new UniformAssignor().assign(spec);

        result.forEach((memberId, assignment) -> assignment.partitions().forEach((topicId, partitions) -> {
            for (Map.Entry<String, AssignmentSpec.MemberSpec> other : spec.members().entrySet()) {
                if (other.getValue().subscribedTopicIds().contains(topicId)) {
                    assertThat(result.get(other.getKey()).size())
                        .as("%s could take a partition of %s from %s: loads %s", other.getKey(), topicId, memberId, loads(result))
                        .isGreaterThanOrEqualTo(assignment.size() - 1);
                }
            }
        }));
    }

    @Property(tries = 300)
    void rangeBalancesEachTopicWithinOne(@ForAll("seeds") long seed) {
        AssignmentSpec spec = randomSpec(new Random(seed), false);

        Map<String, Assignment> result = new RangeAssignor().assign(spec);

        spec.partitionCounts().keySet().forEach(topicId -> {
            List<Integer> shares = new ArrayList<>();
            spec.members().forEach((memberId, member) -> {
                if (member.subscribedTopicIds().contains(topicId)) {
                    shares.add(result.get(memberId).partitions(topicId).size());
                }
            });
            if (!shares.isEmpty()) {
                assertThat(shares.stream().mapToInt(i -> i).max().getAsInt() - shares.stream().mapToInt(i -> i).min().getAsInt())
                    .as("shares of %s: %s", topicId, shares).isLessThanOrEqualTo(1);
            }
        });
    }

    @Property(tries = 200)
    void memberJoiningTakesItsShareFromTheOthersAndNothingElseMoves(@ForAll("seeds") long seed) {
        Random random = new Random(seed);
        AssignmentSpec fresh = randomSpec(random, true);
        for (PartitionAssignor assignor : ASSIGNORS) {
            Map<String, Assignment> before = assignor.assign(fresh);
            Map<String, AssignmentSpec.MemberSpec> members = withTargets(fresh, before);
            Set<Uuid> topics = fresh.members().isEmpty() ? Set.of() : fresh.members().values().iterator().next().subscribedTopicIds();
            members.put("joiner", new AssignmentSpec.MemberSpec(topics, Assignment.EMPTY));

            Map<String, Assignment> after = assignor.assign(new AssignmentSpec(members, fresh.partitionCounts()));

            before.forEach((memberId, old) -> assertThat(subset(after.get(memberId), old))
                .as("%s: %s kept only its own partitions: %s then %s", assignor.name(), memberId, old, after.get(memberId))
                .isTrue());
        }
    }

    @Property(tries = 200)
    void memberLeavingHandsOutOnlyItsOwnPartitions(@ForAll("seeds") long seed) {
        Random random = new Random(seed);
        AssignmentSpec fresh = randomSpec(random, true);
        if (fresh.members().size() < 2) {
            return;
        }
        for (PartitionAssignor assignor : ASSIGNORS) {
            Map<String, Assignment> before = assignor.assign(fresh);
            Map<String, AssignmentSpec.MemberSpec> members = withTargets(fresh, before);
            String leaver = new ArrayList<>(members.keySet()).get(random.nextInt(members.size()));
            members.remove(leaver);

            Map<String, Assignment> after = assignor.assign(new AssignmentSpec(members, fresh.partitionCounts()));

            members.keySet().forEach(memberId -> assertThat(subset(before.get(memberId), after.get(memberId)))
                .as("%s: %s keeps what it had: %s then %s", assignor.name(), memberId, before.get(memberId), after.get(memberId))
                .isTrue());
        }
    }

    private static void checkEveryPartitionOnce(String assignor, AssignmentSpec spec, Map<String, Assignment> result) {
        assertThat(result.keySet()).as("%s: an entry per member", assignor).isEqualTo(spec.members().keySet());
        Map<TopicPartition, String> owners = new HashMap<>();
        result.forEach((memberId, assignment) -> assignment.partitions().forEach((topicId, partitions) -> {
            assertThat(spec.members().get(memberId).subscribedTopicIds())
                .as("%s: %s subscribes to %s", assignor, memberId, topicId).contains(topicId);
            for (Integer partition : partitions) {
                assertThat(partition).isBetween(0, spec.partitionCount(topicId) - 1);
                String previous = owners.put(new TopicPartition(topicId, partition), memberId);
                assertThat(previous).as("%s: %s-%d given to %s and %s", assignor, topicId, partition, previous, memberId).isNull();
            }
        }));
        Set<Uuid> subscribed = new HashSet<>();
        spec.members().values().forEach(member -> subscribed.addAll(member.subscribedTopicIds()));
        int expected = subscribed.stream().mapToInt(spec::partitionCount).sum();
        assertThat(owners).as("%s: every subscribed partition assigned", assignor).hasSize(expected);
    }

    /**
     * A random group: up to 5 topics (one of them possibly deleted: in subscriptions, not in the
     * partition counts), up to 8 members, each with a random current target that may name
     * partitions that no longer exist or topics it left.
     */
    static AssignmentSpec randomSpec(Random random, boolean homogeneous) {
        int topicCount = 1 + random.nextInt(5);
        List<Uuid> topics = new ArrayList<>();
        Map<Uuid, Integer> counts = new LinkedHashMap<>();
        for (int index = 0; index < topicCount; index++) {
            Uuid topic = new Uuid(random.nextLong(), random.nextLong());
            topics.add(topic);
            if (index > 0 && random.nextInt(6) == 0) {
                continue;
            }
            counts.put(topic, random.nextInt(13));
        }
        Set<Uuid> shared = randomSubset(random, topics);
        Map<String, AssignmentSpec.MemberSpec> members = new TreeMap<>();
        int memberCount = 1 + random.nextInt(8);
        Set<TopicPartition> taken = new HashSet<>();
        for (int index = 0; index < memberCount; index++) {
            Set<Uuid> subscription = homogeneous ? shared : randomSubset(random, topics);
            Assignment.Builder current = Assignment.builder();
            for (Uuid topic : topics) {
                int partitions = counts.getOrDefault(topic, 0) + 2;
                for (int partition = 0; partition < partitions; partition++) {
                    if (random.nextInt(memberCount + 1) == 0 && taken.add(new TopicPartition(topic, partition))) {
                        current.add(topic, partition);
                    }
                }
            }
            members.put("member-" + (char) ('a' + random.nextInt(26)) + index,
                new AssignmentSpec.MemberSpec(subscription, current.build()));
        }
        return new AssignmentSpec(members, counts);
    }

    private static Set<Uuid> randomSubset(Random random, List<Uuid> topics) {
        Set<Uuid> subset = new HashSet<>();
        for (Uuid topic : topics) {
            if (random.nextBoolean()) {
                subset.add(topic);
            }
        }
        return subset;
    }

    private static Map<String, AssignmentSpec.MemberSpec> withTargets(AssignmentSpec spec, Map<String, Assignment> targets) {
        Map<String, AssignmentSpec.MemberSpec> members = new TreeMap<>();
        spec.members().forEach((memberId, member) ->
            members.put(memberId, new AssignmentSpec.MemberSpec(member.subscribedTopicIds(), targets.get(memberId))));
        return members;
    }

    private static boolean subset(Assignment small, Assignment big) {
        return small.partitions().entrySet().stream()
            .allMatch(entry -> big.partitions(entry.getKey()).containsAll(entry.getValue()));
    }

    private static Map<String, Integer> loads(Map<String, Assignment> result) {
        Map<String, Integer> loads = new TreeMap<>();
        result.forEach((memberId, assignment) -> loads.put(memberId, assignment.size()));
        return loads;
    }
}
