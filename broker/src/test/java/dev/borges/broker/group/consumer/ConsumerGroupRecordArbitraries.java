package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.types.Uuid;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Random consumer group records of every kind, for property tests of the codec. */
final class ConsumerGroupRecordArbitraries {
    private ConsumerGroupRecordArbitraries() {
    }

    static Arbitrary<ConsumerGroupRecord> records() {
        return Arbitraries.oneOf(List.of(
            Combinators.combine(ids(), ints()).as(ConsumerGroupRecord.GroupEpoch::new),
            Combinators.combine(ids(), topicMetadata()).as(ConsumerGroupRecord.SubscriptionMetadata::new),
            memberSubscriptions(),
            Combinators.combine(ids(), ints()).as(ConsumerGroupRecord.TargetAssignmentEpoch::new),
            Combinators.combine(ids(), ids(), assignments()).as(ConsumerGroupRecord.TargetAssignmentMember::new),
            Combinators.combine(ids(), ids(), ints(), ints(), Arbitraries.of(MemberState.STABLE,
                    MemberState.UNREVOKED_PARTITIONS, MemberState.UNRELEASED_PARTITIONS), assignments(), assignments(),
                    Arbitraries.longs())
                .as((group, member, epoch, previous, state, assigned, pending, epochsSeed) ->
                    new ConsumerGroupRecord.CurrentAssignment(group, member, epoch, previous, state, assigned, pending,
                        assignmentEpochs(assigned, pending, new Random(epochsSeed)))),
            Combinators.combine(Arbitraries.of(ConsumerGroupRecord.RecordType.class), ids(), ids())
                .as((type, group, member) -> new ConsumerGroupRecord.Tombstone(type, group, type.perMember ? member : null))));
    }

    private record Who(String group, String member, String instance, String rack, String clientId, String host) {
    }

    private static Arbitrary<ConsumerGroupRecord> memberSubscriptions() {
        Arbitrary<Who> who = Combinators.combine(ids(), ids(), ids().injectNull(0.3), ids().injectNull(0.3), text(), text())
            .as(Who::new);
        Arbitrary<List<String>> names = ids().list().ofMaxSize(4).uniqueElements()
            .map(list -> list.stream().sorted().toList());
        return Combinators.combine(who, names, text().injectNull(0.5), ints(), ids().injectNull(0.5))
            .as((member, topics, regex, timeout, assignor) -> new ConsumerGroupRecord.MemberSubscription(member.group(),
                member.member(), member.instance(), member.rack(), member.clientId(), member.host(), topics, regex,
                timeout, assignor));
    }

    static Arbitrary<Assignment> assignments() {
        return Arbitraries.maps(uuids(), Arbitraries.integers().between(0, 10_000).set().ofMinSize(1).ofMaxSize(6))
            .ofMaxSize(4)
            .map(Assignment::of);
    }

    /** An assignment epoch for each partition (one per partition, if both assignments hold it), some missing. */
    private static Map<TopicPartition, Integer> assignmentEpochs(Assignment assigned, Assignment pending, Random random) {
        Map<TopicPartition, Integer> epochs = new HashMap<>();
        for (Assignment assignment : List.of(assigned, pending)) {
            assignment.partitions().forEach((topicId, partitions) -> partitions.forEach(partition -> {
                if (random.nextInt(8) != 0) {
                    epochs.putIfAbsent(new TopicPartition(topicId, partition), random.nextInt(Integer.MAX_VALUE));
                }
            }));
        }
        return epochs;
    }

    private static Arbitrary<Map<String, ConsumerGroupRecord.TopicMetadata>> topicMetadata() {
        return Combinators.combine(uuids(), ids(), Arbitraries.integers().between(0, 100_000))
            .as(ConsumerGroupRecord.TopicMetadata::new)
            .list().ofMaxSize(5)
            .map(topics -> {
                Map<String, ConsumerGroupRecord.TopicMetadata> byName = new LinkedHashMap<>();
                topics.forEach(topic -> byName.put(topic.name(), topic));
                return byName;
            });
    }

    static Arbitrary<Uuid> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Uuid::new);
    }

    static Arbitrary<String> ids() {
        return Arbitraries.strings().withChars("abcxyz-_.0123456789").ofMinLength(1).ofMaxLength(20);
    }

    private static Arbitrary<String> text() {
        return Arbitraries.strings().withCharRange(' ', '~').withChars("éß日本語").ofMaxLength(30);
    }

    private static Arbitrary<Integer> ints() {
        return Arbitraries.integers();
    }
}
