package dev.borges.protocol.record;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/** Generators of record sets for the property tests: nulls, empties, headers, offset gaps, now and then a big value. */
final class RecordArbitraries {
    private RecordArbitraries() {
    }

    /** A record before its offset is known: how far it follows the previous one. */
    record Draft(int offsetGap, long timestamp, byte[] key, byte[] value, List<Header> headers) {
    }

    static Arbitrary<List<Draft>> drafts(int maxRecords, int maxValueSize) {
        Arbitrary<Integer> gaps = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(1)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(2, 1_000)));
        Arbitrary<Long> timestamps = Arbitraries.longs().between(0, 4_000_000_000_000L);
        Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMaxSize(40).injectNull(0.2);
        Arbitrary<byte[]> values = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(20, Arbitraries.bytes().array(byte[].class).ofMaxSize(maxValueSize)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(60_000, 140_000).map(SampleRecord::patterned)))
                .injectNull(0.15);
        Arbitrary<Header> headers = Combinators.combine(
                Arbitraries.strings().withCharRange('\u0000', '\uD7FF').ofMaxLength(12),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.2))
                .as(Header::new);
        return Combinators.combine(gaps, timestamps, keys, values, headers.list().ofMaxSize(3))
                .as(Draft::new)
                .list().ofMinSize(1).ofMaxSize(maxRecords);
    }

    /** The drafts as records with offsets from {@code baseOffset}. */
    static List<SampleRecord> place(List<Draft> drafts, long baseOffset) {
        List<SampleRecord> records = new ArrayList<>();
        long offset = baseOffset;
        for (Draft draft : drafts) {
            if (!records.isEmpty()) {
                offset += draft.offsetGap();
            }
            records.add(new SampleRecord(offset, draft.timestamp(), draft.key(), draft.value(), draft.headers()));
        }
        return records;
    }
}
