package dev.borges.broker.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** A coordinator log in a list, with switches for failed appends and delayed commits. */
final class InMemoryCoordinatorLog implements CoordinatorLog {
    final List<CoordinatorRecord> records = new ArrayList<>();
    RuntimeException failAppends;
    /** When set, commits wait until the test completes this future. */
    CompletableFuture<Void> commitGate;

    @Override
    public long append(List<CoordinatorRecord> batch, long nowMs) {
        if (failAppends != null) {
            throw failAppends;
        }
        records.addAll(batch);
        return records.size() - 1;
    }

    @Override
    public CompletableFuture<Void> whenCommitted(long offset) {
        return commitGate == null ? CompletableFuture.completedFuture(null) : commitGate;
    }

    @Override
    public long readAll(Consumer<CoordinatorRecord> replay) {
        records.forEach(replay);
        return records.size();
    }
}
