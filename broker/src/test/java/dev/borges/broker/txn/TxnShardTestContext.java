package dev.borges.broker.txn;

import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.broker.group.ManualTimer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One {@link TransactionCoordinatorShard} driven the way the runtime drives it, without threads:
 * an operation's records go to an in-memory log and are replayed, then its completions complete
 * (the markers the shard hands on are collected in {@link #markers}); a {@link ManualTimer} stands
 * in for time. {@link #reload()} builds a second shard from the log alone.
 */
final class TxnShardTestContext {
    static final long START_MS = 1_700_000_000_000L;
    static final int COORDINATOR_EPOCH = 4;

    final TxnConfig config;
    final ManualTimer timer;
    final TransactionCoordinatorShard shard;
    final List<CoordinatorRecord> log;
    final List<TxnMarkers> markers = new ArrayList<>();

    /** A shard loaded from an empty partition. */
    TxnShardTestContext(TxnConfig config) {
        this(config, new ArrayList<>(), START_MS);
        shard.onLoaded(START_MS);
    }

    private TxnShardTestContext(TxnConfig config, List<CoordinatorRecord> log, long nowMs) {
        this.config = config;
        this.log = log;
        this.timer = new ManualTimer(nowMs);
        this.shard = new TransactionCoordinatorShard(0, COORDINATOR_EPOCH, config, timer, markers::add);
    }

    long now() {
        return timer.now();
    }

    /** Runs an operation as the runtime would: append, replay, then complete. */
    <T> T run(Function<TransactionCoordinatorShard, CoordinatorResult<T>> operation) {
        CoordinatorResult<T> result = operation.apply(shard);
        commit(result);
        return result.response();
    }

    void commit(CoordinatorResult<?> result) {
        log.addAll(result.records());
        result.records().forEach(shard::replay);
        result.runAfterReplay();
        result.completions().forEach(CoordinatorResult.Completion::complete);
    }

    void advance(long ms) {
        timer.advance(ms, this::commit);
    }

    /** A new shard that knows only the log, loaded at the current time. */
    TxnShardTestContext reload() {
        TxnShardTestContext reloaded = new TxnShardTestContext(config, log, now());
        log.forEach(reloaded.shard::replay);
        reloaded.shard.onLoaded(now());
        return reloaded;
    }

    /** Every transaction the shard holds, by id. */
    List<TransactionMetadata> state() {
        return shard.list(Set.of(), Set.of(), -1, now()).stream()
            .sorted(Comparator.comparing(TransactionMetadata::transactionalId)).toList();
    }

    TransactionMetadata get(String transactionalId) {
        return shard.describe(transactionalId).orElseThrow();
    }
}
