package dev.borges.broker.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The runtime's contract with a shard: load by replay, write = append + replay + answer on commit, timers, unload. */
class CoordinatorRuntimeTest {
    /**
     * A shard of named counters: records are (name, value); a value of -1 cannot be replayed (a bug
     * to survive). Transactional records wait in {@link #pending} for their producer's marker.
     */
    static final class CounterShard implements CoordinatorShard {
        final Map<String, Integer> counts = new HashMap<>();
        final Map<Long, List<CoordinatorRecord>> pending = new HashMap<>();
        final CoordinatorTimer timer;
        final List<String> events = new ArrayList<>();

        CounterShard(CoordinatorTimer timer) {
            this.timer = timer;
        }

        @Override
        public void replay(CoordinatorRecord record) {
            String name = new String(record.key(), StandardCharsets.UTF_8);
            if (record.isTombstone()) {
                counts.remove(name);
                return;
            }
            int value = ByteBuffer.wrap(record.value()).getInt();
            if (value < 0) {
                throw new IllegalStateException("cannot replay " + value);
            }
            counts.put(name, value);
        }

        @Override
        public void replayTransactional(long producerId, short producerEpoch, CoordinatorRecord record) {
            pending.computeIfAbsent(producerId, id -> new ArrayList<>()).add(record);
        }

        @Override
        public void replayEndTransaction(long producerId, short producerEpoch, boolean commit) {
            List<CoordinatorRecord> records = pending.remove(producerId);
            if (commit && records != null) {
                records.forEach(this::replay);
            }
            events.add((commit ? "commit " : "abort ") + producerId);
        }

        @Override
        public void onLoaded(long nowMs) {
            events.add("loaded");
        }

        @Override
        public void onUnloaded() {
            events.add("unloaded");
        }

        CoordinatorResult<Integer> increment(String name) {
            int next = counts.getOrDefault(name, 0) + 1;
            return CoordinatorResult.of(List.of(record(name, next)), next);
        }
    }

    static CoordinatorRecord record(String name, int value) {
        return new CoordinatorRecord(name.getBytes(StandardCharsets.UTF_8), ByteBuffer.allocate(4).putInt(value).array());
    }

    private final ManualEventLoop loop = new ManualEventLoop();
    private final List<CounterShard> created = new ArrayList<>();
    private final CoordinatorRuntime<CounterShard> runtime = new CoordinatorRuntime<>("counters", loop, List.of(loop),
        (partition, timer) -> {
            CounterShard shard = new CounterShard(timer);
            created.add(shard);
            return shard;
        });
    private final InMemoryCoordinatorLog log = new InMemoryCoordinatorLog();

    private CompletableFuture<Integer> increment(String name) {
        return runtime.scheduleWrite(0, "increment", (shard, now) -> shard.increment(name));
    }

    private static Errors errorOf(CompletableFuture<?> future) {
        try {
            future.join();
            throw new AssertionError("expected a failure, got " + future.join());
        } catch (CompletionException e) {
            return ((CoordinatorException) e.getCause()).error();
        }
    }

    @Test
    void aWriteIsAppendedThenReplayedThenAnswered() {
        runtime.load(0, 1, log);
        loop.runAll();
        CompletableFuture<Integer> first = increment("a");
        CompletableFuture<Integer> second = increment("a");
        assertThat(first).isNotDone();
        loop.runAll();
        assertThat(first.join()).isEqualTo(1);
        assertThat(second.join()).as("the second write saw the first one's replayed state").isEqualTo(2);
        assertThat(log.records).containsExactly(record("a", 1), record("a", 2));
        assertThat(created.get(0).counts).containsEntry("a", 2);
    }

    @Test
    void loadingReplaysTheLogAndAnswersLoadInProgressMeanwhile() {
        log.append(List.of(record("a", 5), record("b", 1), CoordinatorRecord.tombstone("b".getBytes(StandardCharsets.UTF_8))), 0);
        runtime.load(0, 1, log);
        assertThat(runtime.status(0)).isEqualTo(CoordinatorRuntime.ShardStatus.LOADING);
        assertThat(errorOf(increment("a"))).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        loop.runAll();
        assertThat(runtime.status(0)).isEqualTo(CoordinatorRuntime.ShardStatus.ACTIVE);
        assertThat(created.get(0).counts).isEqualTo(Map.of("a", 5));
        assertThat(created.get(0).events).containsExactly("loaded");
        CompletableFuture<Integer> next = increment("a");
        loop.runAll();
        assertThat(next.join()).isEqualTo(6);
    }

    @Test
    void aPartitionWithoutAShardAnswersNotCoordinatorAndUnloadingFailsQueuedWork() {
        assertThat(errorOf(increment("a"))).isEqualTo(Errors.NOT_COORDINATOR);
        runtime.load(0, 1, log);
        loop.runAll();
        CompletableFuture<Integer> queued = increment("a");
        runtime.unload(0, 1);
        loop.runAll();
        assertThat(errorOf(queued)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(created.get(0).events).containsExactly("loaded", "unloaded");
        assertThat(log.records).isEmpty();
        assertThat(runtime.status(0)).isEqualTo(CoordinatorRuntime.ShardStatus.NOT_HOSTED);
    }

    @Test
    void aFailedAppendFailsTheResponseAndTheCompletionsAndChangesNothing() {
        runtime.load(0, 1, log);
        loop.runAll();
        log.failAppends = new CoordinatorException(Errors.NOT_COORDINATOR, "log offline");
        CompletableFuture<String> waiting = new CompletableFuture<>();
        CompletableFuture<Integer> write = runtime.scheduleWrite(0, "increment", (shard, now) -> {
            CoordinatorResult<Integer> result = shard.increment("a");
            return new CoordinatorResult<>(result.records(), result.response(), List.of(new CoordinatorResult.Completion<>(waiting, "x")));
        });
        loop.runAll();
        assertThat(errorOf(write)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(errorOf(waiting)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(created.get(0).counts).as("nothing replayed").isEmpty();
    }

    @Test
    void effectsRunAfterTheReplayAndNotWhenTheAppendFails() {
        runtime.load(0, 1, log);
        loop.runAll();
        List<String> seen = new ArrayList<>();
        CounterShard shard = created.get(0);
        CompletableFuture<Integer> written = runtime.scheduleWrite(0, "increment", (s, now) -> {
            CoordinatorResult<Integer> result = s.increment("a");
            return new CoordinatorResult<>(result.records(), result.response(), List.of(),
                List.of(() -> seen.add("effect sees a=" + shard.counts.get("a"))));
        });
        loop.runAll();
        assertThat(written.join()).isEqualTo(1);
        assertThat(seen).containsExactly("effect sees a=1");

        log.failAppends = new CoordinatorException(Errors.NOT_COORDINATOR, "log offline");
        CompletableFuture<Integer> failed = runtime.scheduleWrite(0, "increment", (s, now) -> {
            CoordinatorResult<Integer> result = s.increment("a");
            return new CoordinatorResult<>(result.records(), result.response(), List.of(), List.of(() -> seen.add("never")));
        });
        loop.runAll();
        assertThat(errorOf(failed)).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(seen).as("no effect without the records").containsExactly("effect sees a=1");

        CompletableFuture<Integer> noRecords = runtime.scheduleWrite(0, "nothing", (s, now) ->
            new CoordinatorResult<>(List.of(), 7, List.of(), List.of(() -> seen.add("at once"))));
        loop.runAll();
        assertThat(noRecords.join()).isEqualTo(7);
        assertThat(seen).endsWith("at once");
    }

    @Test
    void responsesWaitForTheCommitWhileTheShardMovesOn() {
        runtime.load(0, 1, log);
        loop.runAll();
        log.commitGate = new CompletableFuture<>();
        CompletableFuture<Integer> first = increment("a");
        CompletableFuture<Integer> second = increment("a");
        loop.runAll();
        assertThat(first).isNotDone();
        assertThat(created.get(0).counts).containsEntry("a", 2);
        log.commitGate.complete(null);
        loop.runAll();
        assertThat(first.join()).isEqualTo(1);
        assertThat(second.join()).isEqualTo(2);
    }

    @Test
    void timersRunAsWritesOnTheShard() {
        runtime.load(0, 1, log);
        loop.runAll();
        CounterShard shard = created.get(0);
        runtime.scheduleRead(0, "schedule", (s, now) -> {
            s.timer.schedule("tick", 1000, fired -> s.increment("ticks").withResponse(null));
            s.timer.schedule("replaced", 500, fired -> s.increment("never").withResponse(null));
            s.timer.schedule("replaced", 2000, fired -> s.increment("later").withResponse(null));
            s.timer.schedule("cancelled", 10, fired -> s.increment("never").withResponse(null));
            s.timer.cancel("cancelled");
            return null;
        });
        loop.advance(999);
        assertThat(shard.counts).isEmpty();
        loop.advance(1);
        assertThat(shard.counts).isEqualTo(Map.of("ticks", 1));
        loop.advance(5000);
        assertThat(shard.counts).isEqualTo(Map.of("ticks", 1, "later", 1));
        assertThat(log.records).hasSize(2);
    }

    @Test
    void aNewerEpochReloadsAndAnOlderOneIsIgnored() {
        runtime.load(0, 2, log);
        loop.runAll();
        runtime.load(0, 1, log);
        loop.runAll();
        assertThat(created).hasSize(1);
        runtime.unload(0, 1);
        assertThat(runtime.status(0)).as("an unload for an older epoch does not drop a newer shard")
            .isEqualTo(CoordinatorRuntime.ShardStatus.ACTIVE);
        runtime.load(0, 3, log);
        loop.runAll();
        assertThat(created).hasSize(2);
        assertThat(created.get(0).events).containsExactly("loaded", "unloaded");
    }

    @Test
    void aRecordTheShardCannotReplayReloadsThePartition() {
        runtime.load(0, 1, log);
        loop.runAll();
        CompletableFuture<Integer> poisoned = runtime.scheduleWrite(0, "poison",
            (shard, now) -> CoordinatorResult.of(List.of(record("a", -1)), 0));
        loop.runAll();
        assertThat(errorOf(poisoned)).isEqualTo(Errors.COORDINATOR_LOAD_IN_PROGRESS);
        assertThat(runtime.status(0)).as("the log still holds the record: loading fails")
            .isEqualTo(CoordinatorRuntime.ShardStatus.FAILED);
        assertThat(errorOf(increment("a"))).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void closingAnswersEverythingStillWaitingWithNotCoordinator() {
        runtime.load(0, 1, log);
        loop.runAll();
        CompletableFuture<Integer> queued = increment("a");
        runtime.close();
        assertThat(errorOf(queued)).as("a closing coordinator writes nothing more").isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(errorOf(increment("a"))).isEqualTo(Errors.NOT_COORDINATOR);
        assertThat(log.records).isEmpty();
        assertThat(created.get(0).events).containsExactly("loaded", "unloaded");
    }

    // ---- transactions ----------------------------------------------------------------------------

    private CompletableFuture<Integer> incrementInTransaction(long producerId, String name) {
        return runtime.scheduleWrite(0, "increment", (shard, now) -> {
            int next = shard.counts.getOrDefault(name, 0) + 1;
            return CoordinatorResult.transactional(producerId, (short) 0, List.of(record(name, next)), next);
        });
    }

    @Test
    void aTransactionalWriteIsPendingUntilItsCommitMarker() {
        runtime.load(0, 1, log);
        loop.runAll();
        CompletableFuture<Integer> written = incrementInTransaction(7, "a");
        loop.runAll();
        assertThat(written.join()).isEqualTo(1);
        CounterShard shard = created.get(0);
        assertThat(shard.counts).as("pending: not applied").isEmpty();
        assertThat(shard.pending).containsOnlyKeys(7L);

        CompletableFuture<Void> committed = runtime.scheduleTransactionCompletion(0, "commit", 7, (short) 0, 3, true);
        loop.runAll();
        committed.join();
        assertThat(shard.counts).containsEntry("a", 1);
        assertThat(shard.pending).isEmpty();
    }

    @Test
    void anAbortMarkerDropsWhatTheTransactionWrote() {
        runtime.load(0, 1, log);
        loop.runAll();
        incrementInTransaction(7, "a");
        increment("b");
        loop.runAll();
        runtime.scheduleTransactionCompletion(0, "abort", 7, (short) 0, 3, false);
        loop.runAll();
        assertThat(created.get(0).counts).isEqualTo(Map.of("b", 1));
        assertThat(created.get(0).pending).isEmpty();
    }

    @Test
    void loadingReplaysTransactionsAndMarkersInLogOrderLeavingOpenOnesPending() {
        runtime.load(0, 1, log);
        loop.runAll();
        incrementInTransaction(7, "a");
        incrementInTransaction(8, "b");
        loop.runAll();
        runtime.scheduleTransactionCompletion(0, "commit", 7, (short) 0, 3, true);
        loop.runAll();
        CounterShard live = created.get(0);

        runtime.load(0, 2, log);
        loop.runAll();
        CounterShard loaded = created.get(1);
        assertThat(loaded.counts).isEqualTo(live.counts).isEqualTo(Map.of("a", 1));
        assertThat(loaded.pending).as("producer 8 has not ended its transaction").containsOnlyKeys(8L);
        assertThat(loaded.events).containsExactly("commit 7", "loaded");
    }

    @Test
    void aMarkerThatCannotBeWrittenFailsAndChangesNothing() {
        runtime.load(0, 1, log);
        loop.runAll();
        incrementInTransaction(7, "a");
        loop.runAll();
        log.failAppends = new IllegalStateException("fenced");
        CompletableFuture<Void> marker = runtime.scheduleTransactionCompletion(0, "commit", 7, (short) 0, 3, true);
        loop.runAll();
        assertThat(marker).isCompletedExceptionally();
        assertThat(created.get(0).pending).containsOnlyKeys(7L);
        assertThat(created.get(0).counts).isEmpty();
    }

    @Test
    void aMarkerForAPartitionWithoutAShardAnswersNotCoordinator() {
        assertThat(errorOf(runtime.scheduleTransactionCompletion(0, "commit", 7, (short) 0, 3, true)))
            .isEqualTo(Errors.NOT_COORDINATOR);
    }

    @Test
    void aTransactionalResultCannotBeMergedWithAnother() {
        CoordinatorResult<Integer> transactional = CoordinatorResult.transactional(7, (short) 0, List.of(record("a", 1)), 1);
        assertThatThrownBy(() -> CoordinatorResult.of(List.of(record("b", 1)), 0).and(transactional))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
