package dev.borges.broker.coordinator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A coordinator log in a list, with switches for failed appends and delayed commits. Every record
 * and marker takes one offset; {@link #readAll} replays them as a partition's log would.
 */
final class InMemoryCoordinatorLog implements CoordinatorLog {
    /** The records written, plain or transactional (markers are not records). */
    final List<CoordinatorRecord> records = new ArrayList<>();
    /** Everything written, in order, as a replay into a shard. */
    final List<Consumer<CoordinatorShard>> entries = new ArrayList<>();
    RuntimeException failAppends;
    /** When set, commits wait until the test completes this future. */
    CompletableFuture<Void> commitGate;

    @Override
    public long append(List<CoordinatorRecord> batch, long nowMs) {
        checkAppend();
        for (CoordinatorRecord record : batch) {
            records.add(record);
            entries.add(shard -> shard.replay(record));
        }
        return entries.size() - 1;
    }

    @Override
    public long appendTransactional(long producerId, short producerEpoch, List<CoordinatorRecord> batch, long nowMs) {
        checkAppend();
        for (CoordinatorRecord record : batch) {
            records.add(record);
            entries.add(shard -> shard.replayTransactional(producerId, producerEpoch, record));
        }
        return entries.size() - 1;
    }

    @Override
    public long appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch, boolean commit, long nowMs) {
        checkAppend();
        entries.add(shard -> shard.replayEndTransaction(producerId, producerEpoch, commit));
        return entries.size() - 1;
    }

    private void checkAppend() {
        if (failAppends != null) {
            throw failAppends;
        }
    }

    @Override
    public CompletableFuture<Void> whenCommitted(long offset) {
        return commitGate == null ? CompletableFuture.completedFuture(null) : commitGate;
    }

    @Override
    public long readAll(CoordinatorShard shard) {
        entries.forEach(entry -> entry.accept(shard));
        return entries.size();
    }
}
