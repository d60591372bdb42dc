package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.OptionalInt;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** jqwik generators for every metadata record type, including edge values (negatives, unicode, empty). */
public final class MetadataRecordArbitraries {
    private MetadataRecordArbitraries() {
    }

    public static Arbitrary<MetadataRecord> anyRecord() {
        return Arbitraries.oneOf(topics(), partitions(), partitionChanges(), removeTopics(), configs(), brokers(),
            producerIds());
    }

    public static Arbitrary<Uuid> uuids() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(Uuid::new);
    }

    static Arbitrary<String> strings() {
        return Arbitraries.strings().all().excludeChars(surrogates()).ofMaxLength(40);
    }

    private static char[] surrogates() {
        char[] chars = new char[0xE000 - 0xD800];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (0xD800 + i);
        }
        return chars;
    }

    static Arbitrary<List<Integer>> intLists() {
        return Arbitraries.integers().list().ofMaxSize(8);
    }

    static Arbitrary<Integer> leaders() {
        return Arbitraries.integers().between(PartitionRecord.NO_LEADER, Integer.MAX_VALUE);
    }

    static Arbitrary<MetadataRecord> topics() {
        return Combinators.combine(strings(), uuids()).as(TopicRecord::new);
    }

    static Arbitrary<MetadataRecord> partitions() {
        return Combinators.combine(uuids(), Arbitraries.integers().greaterOrEqual(0), intLists(), intLists(), leaders(),
            Arbitraries.integers(), Arbitraries.integers()).as(PartitionRecord::new);
    }

    static Arbitrary<MetadataRecord> partitionChanges() {
        return Combinators.combine(uuids(), Arbitraries.integers().greaterOrEqual(0), intLists().optional(),
            leaders().optional(), intLists().optional())
            .as((id, p, isr, leader, replicas) -> new PartitionChangeRecord(id, p, isr,
                leader.map(OptionalInt::of).orElse(OptionalInt.empty()), replicas));
    }

    static Arbitrary<MetadataRecord> removeTopics() {
        return uuids().map(RemoveTopicRecord::new);
    }

    static Arbitrary<MetadataRecord> configs() {
        Arbitrary<ConfigResource> resources = Combinators.combine(Arbitraries.of(ConfigResource.Type.class), strings())
            .as(ConfigResource::new);
        return Combinators.combine(resources, strings(), strings().injectNull(0.3)).as(ConfigRecord::new);
    }

    static Arbitrary<MetadataRecord> brokers() {
        Arbitrary<RegisterBrokerRecord.Endpoint> endpoints = Combinators.combine(strings(), strings(),
            Arbitraries.integers().between(0, 65535)).as(RegisterBrokerRecord.Endpoint::new);
        return Combinators.combine(Arbitraries.integers().greaterOrEqual(0), uuids(), endpoints.list().ofMaxSize(3),
            strings().optional()).as(RegisterBrokerRecord::new);
    }

    static Arbitrary<MetadataRecord> producerIds() {
        return Combinators.combine(Arbitraries.integers(), Arbitraries.longs().greaterOrEqual(0))
            .as(ProducerIdsRecord::new);
    }
}
