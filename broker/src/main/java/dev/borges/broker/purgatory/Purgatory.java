package dev.borges.broker.purgatory;

import java.io.Closeable;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Where delayed operations wait, watched by keys (a partition): instead of blocking a thread, a
 * fetch long-poll or an {@code acks=all} produce is parked here and completed when something
 * touches one of its keys ({@link #checkAndComplete}) or when its timeout fires.
 *
 * <pre>
 *  tryCompleteElseWatch(op, keys) ── op.tryComplete()? ── yes ─▶ done
 *                                          │ no
 *                                          ▼
 *                         watched under each key + timeout scheduled
 *                                          │
 *   checkAndComplete(key) ─▶ op.tryComplete() ─▶ done (removed)      timeout ─▶ op.forceComplete()
 * </pre>
 *
 * <p>Threading: thread-safe. Watcher lists are lock-free queues, created and dropped atomically
 * per key (so a wake-up is never lost to a list being dropped as an operation joins it). A completed
 * operation leaves a list the next time its key is checked, and every {@code purgeIntervalMs} a
 * sweep removes those that timed out on keys nobody touched. Timeouts run on the given scheduler.
 *
 * @param <K> the key type, e.g. a topic partition
 */
public final class Purgatory<K> implements Closeable {
    private final String name;
    private final ScheduledExecutorService timer;
    private final Map<K, Queue<DelayedOperation>> watchers = new ConcurrentHashMap<>();

    public Purgatory(String name, ScheduledExecutorService timer) {
        this(name, timer, 5_000L);
    }

    public Purgatory(String name, ScheduledExecutorService timer, long purgeIntervalMs) {
        this.name = name;
        this.timer = timer;
        timer.scheduleWithFixedDelay(this::purgeCompleted, purgeIntervalMs, purgeIntervalMs, TimeUnit.MILLISECONDS);
    }

    public String name() {
        return name;
    }

    /**
     * Completes {@code operation} at once if it can; otherwise parks it under every key and
     * schedules its timeout. Returns whether it completed immediately.
     */
    public boolean tryCompleteElseWatch(DelayedOperation operation, List<K> keys) {
        if (operation.tryComplete()) {
            return true;
        }
        for (K key : keys) {
            watchers.compute(key, (k, queue) -> {
                Queue<DelayedOperation> watching = queue == null ? new ConcurrentLinkedQueue<>() : queue;
                watching.add(operation);
                return watching;
            });
        }
        // Something may have changed between the first check and watching: check once more.
        if (operation.tryComplete()) {
            return true;
        }
        ScheduledFuture<?> timeout = timer.schedule(operation::forceComplete, operation.timeoutMs(), TimeUnit.MILLISECONDS);
        operation.timeout(timeout);
        return false;
    }

    /** Something changed under {@code key}: completes every waiting operation that now can. Returns how many did. */
    public int checkAndComplete(K key) {
        Queue<DelayedOperation> queue = watchers.get(key);
        if (queue == null) {
            return 0;
        }
        int completed = 0;
        for (var iterator = queue.iterator(); iterator.hasNext(); ) {
            DelayedOperation operation = iterator.next();
            if (operation.isCompleted()) {
                iterator.remove();
            } else if (operation.tryComplete()) {
                iterator.remove();
                completed++;
            }
        }
        watchers.computeIfPresent(key, (k, watching) -> watching.isEmpty() ? null : watching);
        return completed;
    }

    /** Operations waiting (an operation watched under several keys counts once per key). */
    public int watched() {
        int count = 0;
        for (Queue<DelayedOperation> queue : watchers.values()) {
            count += queue.size();
        }
        return count;
    }

    /** Drops operations that completed (by timeout) from the watcher lists. */
    public void purgeCompleted() {
        for (K key : List.copyOf(watchers.keySet())) {
            watchers.computeIfPresent(key, (k, watching) -> {
                watching.removeIf(DelayedOperation::isCompleted);
                return watching.isEmpty() ? null : watching;
            });
        }
    }

    /** Completes everything still waiting (shutdown: answer clients rather than drop them). */
    @Override
    public void close() {
        for (Queue<DelayedOperation> queue : watchers.values()) {
            for (DelayedOperation operation : queue) {
                operation.forceComplete();
            }
        }
        watchers.clear();
    }
}
