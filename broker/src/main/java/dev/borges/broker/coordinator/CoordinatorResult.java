package dev.borges.broker.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a coordinator write operation returns instead of changing state: the records to append,
 * the response to the request that asked, other requests' responses that become ready with
 * these records (the members waiting in a JoinGroup or SyncGroup), and effects on the shard's
 * session state that must only happen if the records are written (timers to start or stop). The
 * runtime appends the records, replays them into the shard, runs the effects, and completes the
 * response and every completion once the records are committed; if the append fails, nothing
 * runs and all of them fail with that error.
 *
 * <p>A result may be <em>transactional</em> ({@link #transactional}): its records are written as
 * one transactional batch of a producer (KIP-98) and replayed as pending
 * ({@link CoordinatorShard#replayTransactional}) until that producer's transaction ends.
 *
 * @param <T> the response type
 * @param afterReplay run on the shard's thread right after the records are replayed (at once when
 *                    there are none); never if the append fails
 * @param producer the producer whose transaction the records belong to, or null for plain records
 */
public record CoordinatorResult<T>(List<CoordinatorRecord> records, T response, List<Completion<?>> completions,
                                   List<Runnable> afterReplay, TransactionalProducer producer) {

    public CoordinatorResult {
        records = List.copyOf(records);
        completions = List.copyOf(completions);
        afterReplay = List.copyOf(afterReplay);
    }

    public CoordinatorResult(List<CoordinatorRecord> records, T response, List<Completion<?>> completions,
                             List<Runnable> afterReplay) {
        this(records, response, completions, afterReplay, null);
    }

    public CoordinatorResult(List<CoordinatorRecord> records, T response, List<Completion<?>> completions) {
        this(records, response, completions, List.of());
    }

    /** {@code records} to write in the transaction of {@code producerId} at {@code producerEpoch}, and the response. */
    public static <T> CoordinatorResult<T> transactional(long producerId, short producerEpoch, List<CoordinatorRecord> records,
                                                         T response) {
        return new CoordinatorResult<>(records, response, List.of(), List.of(), new TransactionalProducer(producerId, producerEpoch));
    }

    public boolean isTransactional() {
        return producer != null;
    }

    /** A response and no records. */
    public static <T> CoordinatorResult<T> of(T response) {
        return new CoordinatorResult<>(List.of(), response, List.of());
    }

    public static <T> CoordinatorResult<T> of(List<CoordinatorRecord> records, T response) {
        return new CoordinatorResult<>(records, response, List.of());
    }

    /** Nothing to write, nobody to answer: a timer that found nothing to do. */
    public static CoordinatorResult<Void> empty() {
        return new CoordinatorResult<>(List.of(), null, List.of());
    }

    /**
     * This result with {@code more}'s records, completions and effects after its own (its response is dropped).
     *
     * @throws IllegalArgumentException if either is transactional: a transaction's batch holds its records only
     */
    public CoordinatorResult<T> and(CoordinatorResult<?> more) {
        if (isTransactional() || more.isTransactional()) {
            throw new IllegalArgumentException("A transactional result cannot be merged with another");
        }
        List<CoordinatorRecord> allRecords = new ArrayList<>(records);
        allRecords.addAll(more.records);
        List<Completion<?>> allCompletions = new ArrayList<>(completions);
        allCompletions.addAll(more.completions);
        List<Runnable> allEffects = new ArrayList<>(afterReplay);
        allEffects.addAll(more.afterReplay);
        return new CoordinatorResult<>(allRecords, response, allCompletions, allEffects);
    }

    /** These records first, then this result's (in the same batch, transactional if this result is). */
    public CoordinatorResult<T> withRecordsBefore(List<CoordinatorRecord> first) {
        List<CoordinatorRecord> allRecords = new ArrayList<>(first);
        allRecords.addAll(records);
        return new CoordinatorResult<>(allRecords, response, completions, afterReplay, producer);
    }

    /** This result with another response. */
    public <U> CoordinatorResult<U> withResponse(U newResponse) {
        return new CoordinatorResult<>(records, newResponse, completions, afterReplay, producer);
    }

    /** Runs the effects: the runtime calls this once the records are replayed. */
    public void runAfterReplay() {
        afterReplay.forEach(Runnable::run);
    }

    /**
     * Collects a result's records and completions while an operation works through several steps
     * (a member leaves, which ends a join phase, which answers the members waiting). Not thread-safe.
     */
    public static final class Builder {
        private final List<CoordinatorRecord> records = new ArrayList<>();
        private final List<Completion<?>> completions = new ArrayList<>();
        private final List<Runnable> afterReplay = new ArrayList<>();

        public Builder record(CoordinatorRecord record) {
            records.add(record);
            return this;
        }

        /** {@code future} completes with {@code value} once the records are committed (at once if there are none). */
        public <R> Builder complete(CompletableFuture<R> future, R value) {
            if (future != null) {
                completions.add(new Completion<>(future, value));
            }
            return this;
        }

        /** {@code effect} runs once the records are replayed (see {@link CoordinatorResult#afterReplay}). */
        public Builder afterReplay(Runnable effect) {
            afterReplay.add(effect);
            return this;
        }

        public boolean hasRecords() {
            return !records.isEmpty();
        }

        public <T> CoordinatorResult<T> build(T response) {
            return new CoordinatorResult<>(records, response, completions, afterReplay);
        }
    }

    /** The producer and epoch of a transactional result (KIP-98). */
    public record TransactionalProducer(long producerId, short producerEpoch) {
    }

    /** A deferred response that becomes ready with a result's records. */
    public record Completion<R>(CompletableFuture<R> future, R value) {
        public void complete() {
            future.complete(value);
        }

        public void fail(Throwable error) {
            future.completeExceptionally(error);
        }
    }
}
