package dev.borges.broker.coordinator;

import dev.borges.protocol.Errors;
import dev.borges.storage.Time;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a coordinator's shards: one {@link CoordinatorShard} per partition of its internal topic
 * that this broker leads, each loaded by replaying that partition and then driven by operations
 * that return records.
 *
 * <h2>Threading</h2>
 * Each shard lives on one event loop thread for its whole life (partition {@code p} on loop
 * {@code p % loops}); its state is touched by no other thread, so it needs no locks. A request
 * becomes an event on that loop; timers fire there too. Several loops let shards work in parallel,
 * but one shard's events are strictly ordered.
 *
 * <h2>A write</h2>
 * <pre>
 *  scheduleWrite ─▶ [shard thread] op.generate(shard, now) ─▶ records + response
 *                                   │ no records: answer now
 *                                   ▼
 *                     log.append(records) ── fails ─▶ response and completions fail with the error
 *                                   │
 *                     shard.replay(each record)       (the only way durable state changes)
 *                                   │
 *                     result.afterReplay               (timers the new state needs)
 *                                   │
 *                     log.whenCommitted(last offset) ─▶ response and completions complete
 * </pre>
 * A transactional result ({@link CoordinatorResult#transactional}) goes the same way, as one
 * transactional batch of its producer, replayed as pending; {@link #scheduleTransactionCompletion}
 * later appends that producer's COMMIT or ABORT marker on the same thread and replays it, so the
 * marker lands after every record the shard wrote before it.
 *
 * <p>The append is synchronous on the shard thread and the replay follows it at once, so the next
 * event sees the new state. Responses wait for the commit (the high watermark passing the records):
 * with a replication factor of one that is immediate; with followers the shard keeps working while
 * earlier responses wait. A shard that loses its partition is unloaded, so state replayed from
 * records that never committed is dropped with it.
 *
 * <h2>Lifecycle of a shard</h2>
 * <pre>
 *   load(p, epoch) ─▶ LOADING ── replayed every record ─▶ ACTIVE ── unload(p) ─▶ (gone)
 *                        │ replay failed                                  ▲
 *                        └────────────▶ FAILED ───────────────────────────┘
 * </pre>
 * Operations for a partition with no shard fail with {@code NOT_COORDINATOR}; while it loads, with
 * {@code COORDINATOR_LOAD_IN_PROGRESS}; a failed load with {@code COORDINATOR_NOT_AVAILABLE}.
 * Events already queued when a shard is unloaded fail with {@code NOT_COORDINATOR}.
 *
 * @param <S> the shard type
 */
public final class CoordinatorRuntime<S extends CoordinatorShard> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorRuntime.class);

    /** Creates the empty state of one partition's shard, with that shard's timer. */
    @FunctionalInterface
    public interface ShardFactory<S> {
        S create(int partition, CoordinatorTimer timer);
    }

    /** Where a partition's shard stands. */
    public enum ShardStatus { NOT_HOSTED, LOADING, ACTIVE, FAILED }

    private final String name;
    private final Time time;
    private final ShardFactory<S> factory;
    private final List<CoordinatorEventLoop> loops;
    private final Map<Integer, ShardContext> shards = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /**
     * @param loops the event loops shards run on; the runtime closes them
     */
    public CoordinatorRuntime(String name, Time time, List<CoordinatorEventLoop> loops, ShardFactory<S> factory) {
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("A runtime needs at least one event loop");
        }
        this.name = name;
        this.time = time;
        this.loops = List.copyOf(loops);
        this.factory = factory;
    }

    /** A runtime on {@code threads} new daemon threads named {@code <name>-<i>}. */
    public static <S extends CoordinatorShard> CoordinatorRuntime<S> withThreads(String name, int threads, Time time,
                                                                                  ShardFactory<S> factory) {
        List<CoordinatorEventLoop> loops = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            loops.add(CoordinatorEventLoop.singleThread(name + "-" + i));
        }
        return new CoordinatorRuntime<>(name, time, loops, factory);
    }

    /**
     * This broker now leads {@code partition} at {@code epoch}: load its shard from {@code log}. A
     * shard already loaded at this epoch or a later one stays; one of an older epoch is replaced.
     */
    public synchronized void load(int partition, int epoch, CoordinatorLog log) {
        if (closed) {
            return;
        }
        ShardContext existing = shards.get(partition);
        if (existing != null && existing.epoch >= epoch) {
            return;
        }
        if (existing != null) {
            unload(partition, existing.epoch);
        }
        ShardContext context = new ShardContext(partition, epoch, loops.get(Math.floorMod(partition, loops.size())), log);
        shards.put(partition, context);
        context.loop.execute(() -> runLoad(context));
    }

    /** This broker no longer leads {@code partition} (any epoch up to {@code epoch}): drop its shard. */
    public synchronized void unload(int partition, int epoch) {
        ShardContext context = shards.get(partition);
        if (context == null || context.epoch > epoch) {
            return;
        }
        shards.remove(partition);
        context.status = ShardStatus.NOT_HOSTED;
        context.loop.execute(() -> {
            context.timer.cancelAll();
            if (context.shard != null) {
                context.shard.onUnloaded();
            }
            LOG.info("{}: unloaded partition {} (epoch {})", name, partition, context.epoch);
        });
    }

    public ShardStatus status(int partition) {
        ShardContext context = shards.get(partition);
        return context == null ? ShardStatus.NOT_HOSTED : context.status;
    }

    /** The partitions with a shard, loaded or not, in order. */
    public Set<Integer> hostedPartitions() {
        return new TreeSet<>(shards.keySet());
    }

    /** Runs {@code op} on {@code partition}'s shard; the future holds its response once its records are committed. */
    public <T> CompletableFuture<T> scheduleWrite(int partition, String operation, CoordinatorWriteOperation<S, T> op) {
        CompletableFuture<T> future = new CompletableFuture<>();
        onActiveShard(partition, future, context -> runWrite(context, operation, op, future));
        return future;
    }

    /**
     * Ends {@code producerId}'s transaction on {@code partition}: appends its COMMIT ({@code commit})
     * or ABORT marker on the shard's thread, after every event queued before, replays it into the
     * shard ({@link CoordinatorShard#replayEndTransaction}), and completes once the marker is
     * committed. Fails with {@link CoordinatorException} when the shard is not hosted or not loaded,
     * and with the log's error when the marker cannot be written (a fenced producer or
     * transaction coordinator).
     */
    public CompletableFuture<Void> scheduleTransactionCompletion(int partition, String operation, long producerId,
                                                                short producerEpoch, int coordinatorEpoch, boolean commit) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        onActiveShard(partition, future, context -> appendAndReplay(context, operation, CoordinatorResult.<Void>of(null), future,
            now -> context.log.appendTxnMarker(producerId, producerEpoch, coordinatorEpoch, commit, now),
            shard -> shard.replayEndTransaction(producerId, producerEpoch, commit)));
        return future;
    }

    /** Runs {@code op} on {@code partition}'s shard thread, after every event queued before it. */
    public <T> CompletableFuture<T> scheduleRead(int partition, String operation, CoordinatorReadOperation<S, T> op) {
        CompletableFuture<T> future = new CompletableFuture<>();
        onActiveShard(partition, future, context -> {
            try {
                future.complete(op.read(context.shard, time.milliseconds()));
            } catch (RuntimeException e) {
                failOperation(operation, partition, future, e);
            }
        });
        return future;
    }

    /** Runs {@code op} on every active shard; one future per partition. */
    public <T> Map<Integer, CompletableFuture<T>> scheduleWriteAll(String operation, CoordinatorWriteOperation<S, T> op) {
        Map<Integer, CompletableFuture<T>> futures = new HashMap<>();
        for (Integer partition : hostedPartitions()) {
            futures.put(partition, scheduleWrite(partition, operation, op));
        }
        return futures;
    }

    @Override
    public synchronized void close() {
        closed = true;
        for (ShardContext context : List.copyOf(shards.values())) {
            unload(context.partition, context.epoch);
        }
        for (CoordinatorEventLoop loop : loops) {
            loop.close();
        }
    }

    /**
     * Queues {@code event} on {@code partition}'s shard thread, to run there only if the shard is
     * still active then; otherwise {@code future} fails with why it is not (now or when its turn comes).
     */
    private void onActiveShard(int partition, CompletableFuture<?> future, Consumer<ShardContext> event) {
        ShardContext context = shards.get(partition);
        CoordinatorException unavailable = unavailable(context, partition);
        if (unavailable != null) {
            future.completeExceptionally(unavailable);
            return;
        }
        submit(context, future, () -> {
            CoordinatorException gone = unavailable(context, partition);
            if (gone != null) {
                future.completeExceptionally(gone);
                return;
            }
            event.accept(context);
        });
    }

    /** Queues an event; if the loop has stopped (the runtime is closing), the shard is gone. */
    private void submit(ShardContext context, CompletableFuture<?> future, Runnable event) {
        try {
            context.loop.execute(event);
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new CoordinatorException(Errors.NOT_COORDINATOR, "The coordinator is shutting down"));
        }
    }

    // ---- on the shard thread --------------------------------------------------------------

    private void runLoad(ShardContext context) {
        if (context.status != ShardStatus.LOADING) {
            return; // unloaded before it started
        }
        long startNs = time.nanoseconds();
        try {
            S shard = factory.create(context.partition, context.timer);
            long records = context.log.readAll(shard);
            context.shard = shard;
            shard.onLoaded(time.milliseconds());
            if (context.status != ShardStatus.LOADING) {
                return; // unloaded while loading: its unload event, queued behind this one, cleans up
            }
            context.status = ShardStatus.ACTIVE;
            LOG.info("{}: loaded partition {} (epoch {}) from {} records in {} ms", name, context.partition, context.epoch, records,
                TimeUnit.NANOSECONDS.toMillis(time.nanoseconds() - startNs));
        } catch (RuntimeException e) {
            if (context.status == ShardStatus.LOADING) {
                context.status = ShardStatus.FAILED;
            }
            LOG.error("{}: cannot load partition {}; its groups are unavailable until it is loaded again", name, context.partition, e);
        }
    }

    private <T> void runWrite(ShardContext context, String operation, CoordinatorWriteOperation<S, T> op, CompletableFuture<T> future) {
        CoordinatorResult<T> result;
        try {
            result = op.generate(context.shard, time.milliseconds());
        } catch (RuntimeException e) {
            failOperation(operation, context.partition, future, e);
            return;
        }
        commit(context, operation, result, future);
    }

    /** Appends, replays, and answers once committed. {@code future} is null for timers. */
    private <T> void commit(ShardContext context, String operation, CoordinatorResult<T> result, CompletableFuture<T> future) {
        if (result.records().isEmpty()) {
            result.runAfterReplay();
            complete(result, future);
            return;
        }
        CoordinatorResult.TransactionalProducer producer = result.producer();
        if (producer == null) {
            appendAndReplay(context, operation, result, future, now -> context.log.append(result.records(), now),
                shard -> result.records().forEach(shard::replay));
        } else {
            appendAndReplay(context, operation, result, future,
                now -> context.log.appendTransactional(producer.producerId(), producer.producerEpoch(), result.records(), now),
                shard -> result.records().forEach(record -> shard.replayTransactional(producer.producerId(),
                    producer.producerEpoch(), record)));
        }
    }

    /**
     * The write path after the operation: {@code append} (returning the last offset written), then
     * {@code replay} of what was written, the result's effects, and its answers once committed.
     */
    private <T> void appendAndReplay(ShardContext context, String operation, CoordinatorResult<T> result, CompletableFuture<T> future,
                                     LongUnaryOperator append, Consumer<S> replay) {
        long lastOffset;
        try {
            lastOffset = append.applyAsLong(time.milliseconds());
        } catch (RuntimeException e) {
            LOG.warn("{}: {} could not write to partition {}: {}", name, operation, context.partition, e.toString());
            fail(result, future, e);
            return;
        }
        try {
            replay.accept(context.shard);
        } catch (RuntimeException e) {
            // The log holds records the state does not: rebuild the state from the log.
            LOG.error("{}: replaying what {} wrote to partition {} failed; reloading the partition", name, operation, context.partition, e);
            fail(result, future, new CoordinatorException(Errors.COORDINATOR_LOAD_IN_PROGRESS, "Partition " + context.partition
                + " of " + name + " is reloading"));
            reload(context);
            return;
        }
        result.runAfterReplay();
        CompletableFuture<Void> committed = context.log.whenCommitted(lastOffset);
        if (committed.isDone() && !committed.isCompletedExceptionally()) {
            complete(result, future);
        } else {
            committed.whenComplete((ignored, error) -> context.loop.execute(() -> {
                if (error == null) {
                    complete(result, future);
                } else {
                    fail(result, future, error);
                }
            }));
        }
    }

    private void reload(ShardContext context) {
        context.timer.cancelAll();
        context.shard.onUnloaded();
        context.shard = null;
        context.status = ShardStatus.LOADING;
        context.loop.execute(() -> runLoad(context));
    }

    private static <T> void complete(CoordinatorResult<T> result, CompletableFuture<T> future) {
        for (CoordinatorResult.Completion<?> completion : result.completions()) {
            completion.complete();
        }
        if (future != null) {
            future.complete(result.response());
        }
    }

    private static <T> void fail(CoordinatorResult<T> result, CompletableFuture<T> future, Throwable error) {
        for (CoordinatorResult.Completion<?> completion : result.completions()) {
            completion.fail(error);
        }
        if (future != null) {
            future.completeExceptionally(error);
        }
    }

    private void failOperation(String operation, int partition, CompletableFuture<?> future, RuntimeException e) {
        if (!(e instanceof CoordinatorException)) {
            LOG.error("{}: {} failed on partition {}", name, operation, partition, e);
        }
        future.completeExceptionally(e);
    }

    private CoordinatorException unavailable(ShardContext context, int partition) {
        ShardStatus status = context == null ? ShardStatus.NOT_HOSTED : context.status;
        return switch (status) {
            case ACTIVE -> null;
            case NOT_HOSTED -> new CoordinatorException(Errors.NOT_COORDINATOR, "This broker does not coordinate partition "
                + partition + " of " + name);
            case LOADING -> new CoordinatorException(Errors.COORDINATOR_LOAD_IN_PROGRESS, "Partition " + partition + " of " + name
                + " is loading");
            case FAILED -> new CoordinatorException(Errors.COORDINATOR_NOT_AVAILABLE, "Partition " + partition + " of " + name
                + " failed to load");
        };
    }

    /** One shard and what runs it. Its mutable fields are written on its loop thread (status also by load/unload). */
    private final class ShardContext {
        final int partition;
        final int epoch;
        final CoordinatorEventLoop loop;
        final CoordinatorLog log;
        final ShardTimer timer;
        volatile ShardStatus status = ShardStatus.LOADING;
        S shard;

        ShardContext(int partition, int epoch, CoordinatorEventLoop loop, CoordinatorLog log) {
            this.partition = partition;
            this.epoch = epoch;
            this.loop = loop;
            this.log = log;
            this.timer = new ShardTimer(this);
        }
    }

    /** The timers of one shard; used on its thread only. A fired timer runs as a write operation. */
    private final class ShardTimer implements CoordinatorTimer {
        private final ShardContext context;
        private final Map<String, Scheduled> timers = new HashMap<>();

        ShardTimer(ShardContext context) {
            this.context = context;
        }

        @Override
        public void schedule(String key, long delayMs, TimerTask task) {
            cancel(key);
            Scheduled scheduled = new Scheduled(task);
            timers.put(key, scheduled);
            scheduled.handle = context.loop.schedule(() -> fire(key, scheduled), delayMs);
        }

        @Override
        public void cancel(String key) {
            Scheduled scheduled = timers.remove(key);
            if (scheduled != null && scheduled.handle != null) {
                scheduled.handle.cancel();
            }
        }

        @Override
        public boolean isScheduled(String key) {
            return timers.containsKey(key);
        }

        void cancelAll() {
            for (Scheduled scheduled : timers.values()) {
                scheduled.handle.cancel();
            }
            timers.clear();
        }

        private void fire(String key, Scheduled scheduled) {
            if (timers.get(key) != scheduled || context.status != ShardStatus.ACTIVE) {
                return; // replaced, cancelled, or the shard is gone
            }
            timers.remove(key);
            CoordinatorResult<Void> result;
            try {
                result = scheduled.task.run(time.milliseconds());
            } catch (RuntimeException e) {
                LOG.error("{}: timer {} failed on partition {}", name, key, context.partition, e);
                return;
            }
            commit(context, "timer " + key, result, null);
        }
    }

    private static final class Scheduled {
        final CoordinatorTimer.TimerTask task;
        CoordinatorEventLoop.Cancellable handle;

        Scheduled(CoordinatorTimer.TimerTask task) {
            this.task = task;
        }
    }
}
