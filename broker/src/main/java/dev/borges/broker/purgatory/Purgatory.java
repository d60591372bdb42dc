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
 * <p>Threading: thread-safe. Watcher lists are lock-free queues; a completed operation is removed
 * lazily the next time its key is checked, and eagerly {@link #purgeCompleted() purged} when many
 * accumulate. Timeouts run on the given scheduler.
 *
 * @param <K> the key type, e.g. a topic partition
 */
public final class Purgatory<K> implements Closeable {
    private final String name;
    private final ScheduledExecutorService timer;
    private final Map<K, Queue<DelayedOperation>> watchers = new ConcurrentHashMap<>();

    public Purgatory(String name, ScheduledExecutorService timer) {
        this.name = name;
        this.timer = timer;
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
            watchers.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>()).add(operation);
        }
        // Something may have changed between the first check and watching: check once more.
        if (operation.tryComplete()) {
            return true;
        }
        ScheduledFuture<?> timeout = timer.schedule(operation::forceComplete, operation.timeoutMs(), TimeUnit.MILLISECONDS);
        if (operation.isCompleted()) {
            timeout.cancel(false);
        }
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
        if (queue.isEmpty()) {
            watchers.remove(key, queue);
        }
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
        for (Map.Entry<K, Queue<DelayedOperation>> entry : watchers.entrySet()) {
            entry.getValue().removeIf(DelayedOperation::isCompleted);
            if (entry.getValue().isEmpty()) {
                watchers.remove(entry.getKey(), entry.getValue());
            }
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
