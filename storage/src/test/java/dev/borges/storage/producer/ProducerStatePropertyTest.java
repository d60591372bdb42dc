package dev.borges.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.storage.producer.ProducerStateTestContext.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random interleavings of several producers' sends (in order, retries of recent and older batches,
 * sequence gaps, epoch bumps right and wrong, zombies, idle spells) checked step by step against
 * {@link ProducerStateModel}. Named invariants:
 * <ul>
 *   <li>DecisionsMatchModel: every batch is appended, answered as a duplicate or rejected with the
 *       error the model gives;
 *   <li>DuplicatesKeepOriginalOffsets: a duplicate is answered with the offsets first assigned, and
 *       the log does not grow;
 *   <li>RecoveryIsInvisible: after snapshots at random points and a crash, replay gives the same
 *       state and the same later decisions.
 * </ul>
 * jqwik prints the seed of a failing run; rerun with {@code @Property(seed = "...")}.
 */
class ProducerStatePropertyTest {
    private static final long EXPIRATION_MS = 10_000;
    private static final int PRODUCERS = 3;

    enum Kind { NEXT, RETRY, GAP, BUMP_EPOCH, BUMP_EPOCH_WRONG_SEQUENCE, STALE_EPOCH, IDLE }

    /** One client action; {@code pick} chooses the retried batch, the gap or the idle time. */
    record Step(int producer, Kind kind, int records, int pick) {
    }

    @Property(tries = 300)
    void decisionsMatchModel(@ForAll("steps") @Size(min = 10, max = 150) List<Step> steps) {
        withDirectory(directory -> {
            Run run = new Run(directory);
            steps.forEach(run::perform);
            assertThat(run.managerSummary()).isEqualTo(run.model.summary());
        });
        // The generator must keep producing every kind of answer, or the property proves little.
        Statistics.label("answer").coverage(coverage -> {
            coverage.check("APPENDED").percentage(p -> p > 30);
            coverage.check("DUPLICATE").percentage(p -> p > 3);
            coverage.check("OUT_OF_ORDER_SEQUENCE_NUMBER").percentage(p -> p > 3);
            coverage.check("INVALID_PRODUCER_EPOCH").percentage(p -> p > 0.5);
        });
    }

    @Property(tries = 150)
    void recoveryIsInvisible(@ForAll("stepsWithoutIdling") @Size(min = 10, max = 150) List<Step> steps,
                             @ForAll @Size(max = 4) List<@IntRange(min = 0, max = 10_000) Integer> snapshotPoints,
                             @ForAll @IntRange(min = 0, max = 10_000) int crashPoint) {
        List<Integer> snapshotAt = snapshotPoints.stream().map(point -> point % steps.size()).toList();
        int crashAt = crashPoint % steps.size();
        withDirectory(directory -> {
            Run run = new Run(directory);
            for (int i = 0; i < steps.size(); i++) {
                if (snapshotAt.contains(i)) {
                    run.context.manager.takeSnapshot();
                }
                if (i == crashAt) {
                    Map<Long, ProducerStateEntry> before = run.context.manager.activeProducers();
                    long mapEndBefore = run.context.manager.mapEndOffset();
                    run.context.crashAndRecover();
                    Statistics.label("recovered from").collect(
                        run.context.manager.latestSnapshotOffset().isPresent() ? "snapshot" : "log start");
                    assertThat(run.context.manager.activeProducers()).as("RecoveryIsInvisible").isEqualTo(before);
                    assertThat(run.context.manager.mapEndOffset()).isEqualTo(mapEndBefore);
                }
                run.perform(steps.get(i));
            }
            assertThat(run.managerSummary()).isEqualTo(run.model.summary());
        });
        Statistics.label("recovered from").coverage(coverage -> {
            coverage.check("snapshot").percentage(p -> p > 20);
            coverage.check("log start").percentage(p -> p > 20);
        });
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        return step(true).list();
    }

    @Provide
    Arbitrary<List<Step>> stepsWithoutIdling() {
        // Replay cannot know a producer expired before the crash (nor can Kafka's): idling is left to
        // decisionsMatchModel so this property compares like with like.
        return step(false).list();
    }

    private static Arbitrary<Step> step(boolean idling) {
        Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
            Tuple.of(12, Arbitraries.just(Kind.NEXT)),
            Tuple.of(5, Arbitraries.just(Kind.RETRY)),
            Tuple.of(2, Arbitraries.just(Kind.GAP)),
            Tuple.of(1, Arbitraries.just(Kind.BUMP_EPOCH)),
            Tuple.of(1, Arbitraries.just(Kind.BUMP_EPOCH_WRONG_SEQUENCE)),
            Tuple.of(1, Arbitraries.just(Kind.STALE_EPOCH)),
            Tuple.of(idling ? 1 : 0, Arbitraries.just(Kind.IDLE)));
        return Combinators.combine(Arbitraries.integers().between(0, PRODUCERS - 1), kinds,
            Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 7)).as(Step::new);
    }

    /** A client per producer, the leader under test, and the model, advanced together. */
    private static final class Run {
        final ProducerStateTestContext context;
        final ProducerStateModel model = new ProducerStateModel(EXPIRATION_MS);
        private final Map<Integer, Client> clients = new HashMap<>();

        Run(Path directory) {
            context = new ProducerStateTestContext(directory, new ProducerStateConfig(EXPIRATION_MS));
        }

        void perform(Step step) {
            context.time.sleep(1);
            Client client = clients.computeIfAbsent(step.producer(), Client::new);
            switch (step.kind()) {
                case NEXT -> send(client, client.epoch, client.nextSequence, step.records());
                case RETRY -> {
                    if (client.sent.isEmpty()) {
                        send(client, client.epoch, client.nextSequence, step.records());
                    } else {
                        Sent old = client.sent.get(client.sent.size() - 1 - step.pick() % client.sent.size());
                        send(client, old.epoch, old.firstSequence, old.records);
                    }
                }
                case GAP -> send(client, client.epoch, next(client.nextSequence, step.pick() + 1), step.records());
                case BUMP_EPOCH -> send(client, (short) (client.epoch + 1), 0, step.records());
                case BUMP_EPOCH_WRONG_SEQUENCE -> send(client, (short) (client.epoch + 1), step.pick() + 1, step.records());
                case STALE_EPOCH -> send(client, (short) Math.max(0, client.epoch - 1), client.nextSequence, step.records());
                case IDLE -> {
                    context.time.sleep(EXPIRATION_MS - step.pick());
                    context.manager.removeExpiredProducers(context.time.milliseconds());
                    model.expire(context.time.milliseconds());
                }
            }
        }

        private void send(Client client, short epoch, int firstSequence, int records) {
            long timestamp = context.time.milliseconds();
            Outcome expected = model.send(client.producerId, epoch, firstSequence, records, timestamp);
            long endBefore = context.logEndOffset();

            Outcome actual = context.appendAsLeader(client.producerId, epoch, firstSequence, records);

            String step = "producer " + client.producerId + " epoch " + epoch + " seq " + firstSequence + " x" + records;
            assertThat(actual.kind()).as("DecisionsMatchModel: %s", step).isEqualTo(expected.kind());
            assertThat(actual.error()).as("DecisionsMatchModel: %s", step).isEqualTo(expected.error());
            assertThat(actual.firstOffset()).as("DuplicatesKeepOriginalOffsets: %s", step).isEqualTo(expected.firstOffset());
            assertThat(actual.lastOffset()).as("DuplicatesKeepOriginalOffsets: %s", step).isEqualTo(expected.lastOffset());
            if (actual.kind() != Outcome.Kind.APPENDED) {
                assertThat(context.logEndOffset()).as("nothing written: %s", step).isEqualTo(endBefore);
            }
            assertThat(context.logEndOffset()).isEqualTo(model.logEndOffset());

            Statistics.label("answer").collect(actual.kind() == Outcome.Kind.REJECTED ? actual.error().name() : actual.kind().name());
            client.sent.add(new Sent(epoch, firstSequence, records));
            if (actual.kind() == Outcome.Kind.APPENDED) {
                client.epoch = epoch;
                client.nextSequence = next(ProducerStateModel.lastSequence(firstSequence, records), 1);
            }
        }

        Map<Long, List<Integer>> managerSummary() {
            Map<Long, List<Integer>> summary = new HashMap<>();
            context.manager.activeProducers().forEach((id, entry) ->
                summary.put(id, List.of((int) entry.producerEpoch(), entry.lastSequence())));
            return summary;
        }
    }

    private record Sent(short epoch, int firstSequence, int records) {
    }

    /** What a producer sends next; producer 2 starts near the top of the sequence space to wrap. */
    private static final class Client {
        final long producerId;
        short epoch;
        int nextSequence;
        final List<Sent> sent = new ArrayList<>();

        Client(int index) {
            producerId = 100L + index;
            epoch = (short) index;
            nextSequence = index == 2 ? Integer.MAX_VALUE - 6 : 0;
        }
    }

    private static int next(int sequence, int by) {
        return (int) ((sequence + (long) by) % (1L << 31));
    }

    private interface DirectoryTest {
        void run(Path directory);
    }

    private static void withDirectory(DirectoryTest test) {
        Path directory;
        try {
            directory = Files.createTempDirectory("producer-state-property");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            test.run(directory);
        } finally {
            try (Stream<Path> files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
