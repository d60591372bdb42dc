package dev.borges.storage.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.storage.TopicPartition;
import dev.borges.storage.checkpoint.LeaderEpochCheckpointFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random sequences of changes, with reopens from the checkpoint in between, applied both to the
 * cache and to a model: a sorted map from epoch to start offset, changed by whole-map filters
 * rather than the cache's walk from one end. After every step these invariants must hold:
 * <ul>
 *   <li>EntriesMatchModel — the cache's entries, and the checkpoint's, are the model's;</li>
 *   <li>StrictlyAscending — epochs and start offsets both strictly ascend;</li>
 *   <li>LookupsMatchModel — latestEpoch, epochForOffset and endOffsetFor answer as the model does
 *       for every epoch and offset in (and a little beyond) the generated range.</li>
 * </ul>
 * Small ranges of epochs and offsets make conflicts and exact-boundary truncations common. A failure
 * prints jqwik's seed; {@code @Property(seed = "...")} replays it.
 */
class LeaderEpochCachePropertyTest {
    private static final TopicPartition PARTITION = new TopicPartition("orders", 0);
    private static final int MAX_EPOCH = 12;
    private static final long MAX_OFFSET = 60;
    private static final long LOG_END_OFFSET = MAX_OFFSET + 20;

    sealed interface Step permits Assign, TruncateFromEnd, TruncateFromStart, Clear, Reopen {
    }

    record Assign(int epoch, long startOffset) implements Step {
    }

    record TruncateFromEnd(long endOffset) implements Step {
    }

    record TruncateFromStart(long startOffset) implements Step {
    }

    record Clear() implements Step {
    }

    record Reopen() implements Step {
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> assign = Combinators.combine(Arbitraries.integers().between(0, MAX_EPOCH), Arbitraries.longs().between(0, MAX_OFFSET))
            .as(Assign::new);
        Arbitrary<Step> fromEnd = Arbitraries.longs().between(0, MAX_OFFSET + 5).map(TruncateFromEnd::new);
        Arbitrary<Step> fromStart = Arbitraries.longs().between(0, MAX_OFFSET + 5).map(TruncateFromStart::new);
        return Arbitraries.frequencyOf(
                Tuple.of(10, assign),
                Tuple.of(3, fromEnd),
                Tuple.of(3, fromStart),
                Tuple.of(1, Arbitraries.just(new Clear())),
                Tuple.of(3, Arbitraries.just(new Reopen())))
            .list().ofMinSize(1).ofMaxSize(30);
    }

    @Property(tries = 300)
    void cacheAgreesWithSortedMapModel(@ForAll("steps") List<Step> steps) throws IOException {
        Path dir = Files.createTempDirectory("leader-epoch-property");
        try {
            LeaderEpochCheckpointFile checkpoint = LeaderEpochCheckpointFile.inPartitionDirectory(dir);
            LeaderEpochCache cache = LeaderEpochCache.open(PARTITION, checkpoint);
            TreeMap<Integer, Long> model = new TreeMap<>();
            for (Step step : steps) {
                if (step instanceof Reopen) {
                    cache = LeaderEpochCache.open(PARTITION, checkpoint);
                } else {
                    apply(cache, step);
                    apply(model, step);
                }
                checkInvariants(step, cache, checkpoint, model);
            }
        } finally {
            deleteRecursively(dir);
        }
    }

    private static void apply(LeaderEpochCache cache, Step step) {
        if (step instanceof Assign a) {
            cache.assign(a.epoch(), a.startOffset());
        } else if (step instanceof TruncateFromEnd t) {
            cache.truncateFromEnd(t.endOffset());
        } else if (step instanceof TruncateFromStart t) {
            cache.truncateFromStart(t.startOffset());
        } else if (step instanceof Clear) {
            cache.clearAndFlush();
        }
    }

    /** The rules, stated as filters over the whole map. */
    private static void apply(TreeMap<Integer, Long> model, Step step) {
        if (step instanceof Assign a) {
            boolean alreadyLatest = !model.isEmpty() && model.lastKey() == a.epoch() && model.lastEntry().getValue() <= a.startOffset();
            if (!alreadyLatest) {
                model.entrySet().removeIf(e -> e.getKey() >= a.epoch() || e.getValue() >= a.startOffset());
                model.put(a.epoch(), a.startOffset());
            }
        } else if (step instanceof TruncateFromEnd t) {
            model.values().removeIf(start -> start >= t.endOffset());
        } else if (step instanceof TruncateFromStart t) {
            Integer containing = null;
            for (Map.Entry<Integer, Long> e : model.entrySet()) {
                if (e.getValue() <= t.startOffset()) {
                    containing = e.getKey();
                }
            }
            if (containing != null) {
                model.values().removeIf(start -> start <= t.startOffset());
                model.put(containing, t.startOffset());
            }
        } else if (step instanceof Clear) {
            model.clear();
        }
    }

    private static void checkInvariants(Step step, LeaderEpochCache cache, LeaderEpochCheckpointFile checkpoint, TreeMap<Integer, Long> model) {
        List<EpochEntry> expected = new ArrayList<>();
        model.forEach((epoch, start) -> expected.add(new EpochEntry(epoch, start)));

        // EntriesMatchModel
        assertThat(cache.epochEntries()).as("entries after %s", step).isEqualTo(expected);
        if (Files.exists(checkpoint.path())) {
            assertThat(checkpoint.read()).as("checkpoint after %s", step).isEqualTo(expected);
        } else {
            assertThat(expected).as("no checkpoint yet after %s", step).isEmpty();
        }

        // StrictlyAscending
        List<EpochEntry> entries = cache.epochEntries();
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).epoch()).as("epochs ascend: %s", entries).isGreaterThan(entries.get(i - 1).epoch());
            assertThat(entries.get(i).startOffset()).as("start offsets ascend: %s", entries).isGreaterThan(entries.get(i - 1).startOffset());
        }

        // LookupsMatchModel
        assertThat(cache.latestEpoch()).isEqualTo(model.isEmpty() ? OptionalInt.empty() : OptionalInt.of(model.lastKey()));
        for (long offset = 0; offset <= MAX_OFFSET + 10; offset++) {
            assertThat(cache.epochForOffset(offset)).as("epoch for offset %d in %s", offset, expected).isEqualTo(modelEpochForOffset(model, offset));
        }
        for (int epoch = -1; epoch <= MAX_EPOCH + 2; epoch++) {
            assertThat(cache.endOffsetFor(epoch, LOG_END_OFFSET))
                .as("end offset for epoch %d in %s", epoch, expected)
                .isEqualTo(modelEndOffsetFor(model, epoch));
        }
    }

    private static OptionalInt modelEpochForOffset(TreeMap<Integer, Long> model, long offset) {
        OptionalInt found = OptionalInt.empty();
        for (Map.Entry<Integer, Long> e : model.entrySet()) {
            if (e.getValue() <= offset) {
                found = OptionalInt.of(e.getKey());
            }
        }
        return found;
    }

    private static EpochEndOffset modelEndOffsetFor(TreeMap<Integer, Long> model, int requested) {
        if (requested < 0 || model.isEmpty() || requested > model.lastKey()) {
            return EpochEndOffset.UNDEFINED;
        }
        if (requested == model.lastKey()) {
            return new EpochEndOffset(requested, LOG_END_OFFSET);
        }
        int epoch = requested; // below every known epoch, Kafka answers with the requested epoch itself
        long end = -1;
        for (Map.Entry<Integer, Long> e : model.entrySet()) {
            if (e.getKey() <= requested) {
                epoch = e.getKey();
            } else if (end < 0) {
                end = e.getValue();
            }
        }
        return new EpochEndOffset(epoch, end);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
