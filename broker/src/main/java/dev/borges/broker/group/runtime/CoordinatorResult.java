package dev.borges.broker.group.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What a coordinator write operation returns instead of changing state: the records to append,
 * the response to the request that asked, and other requests' responses that become ready with
 * these records (the members waiting in a JoinGroup or SyncGroup). The runtime appends the
 * records, replays them into the shard, and completes the response and every completion once the
 * records are committed; if the append fails, all of them fail with that error.
 *
 * @param <T> the response type
 */
public record CoordinatorResult<T>(List<CoordinatorRecord> records, T response, List<Completion<?>> completions) {

    public CoordinatorResult {
        records = List.copyOf(records);
        completions = List.copyOf(completions);
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

    /** This result with {@code more}'s records and completions after its own (its response is dropped). */
    public CoordinatorResult<T> and(CoordinatorResult<?> more) {
        List<CoordinatorRecord> allRecords = new ArrayList<>(records);
        allRecords.addAll(more.records);
        List<Completion<?>> allCompletions = new ArrayList<>(completions);
        allCompletions.addAll(more.completions);
        return new CoordinatorResult<>(allRecords, response, allCompletions);
    }

    /** This result with another response. */
    public <U> CoordinatorResult<U> withResponse(U newResponse) {
        return new CoordinatorResult<>(records, newResponse, completions);
    }

    /**
     * Collects a result's records and completions while an operation works through several steps
     * (a member leaves, which ends a join phase, which answers the members waiting). Not thread-safe.
     */
    public static final class Builder {
        private final List<CoordinatorRecord> records = new ArrayList<>();
        private final List<Completion<?>> completions = new ArrayList<>();

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

        public boolean hasRecords() {
            return !records.isEmpty();
        }

        public <T> CoordinatorResult<T> build(T response) {
            return new CoordinatorResult<>(records, response, completions);
        }
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
