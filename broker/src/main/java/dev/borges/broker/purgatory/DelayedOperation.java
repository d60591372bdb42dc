package dev.borges.broker.purgatory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An operation that waits in the {@link Purgatory} until it can complete (a fetch has enough bytes,
 * an {@code acks=all} produce reached the high watermark) or its time runs out. Completion happens
 * exactly once, whichever comes first: {@link #tryComplete()} when something it watches changed,
 * or the timeout.
 *
 * <p>Threading: {@code tryComplete} may run on any thread that changed a watched key, concurrently
 * with the timeout; the {@code completed} flag makes {@link #onComplete} run once.
 */
public abstract class DelayedOperation {
    private final long timeoutMs;
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile java.util.concurrent.Future<?> timeout;

    protected DelayedOperation(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public long timeoutMs() {
        return timeoutMs;
    }

    public boolean isCompleted() {
        return completed.get();
    }

    /**
     * Checks whether the operation can complete now and, if so, calls {@link #forceComplete()}.
     *
     * @return whether it completed (by this call or before)
     */
    public abstract boolean tryComplete();

    /** What completing does (answer the client); called exactly once. */
    protected abstract void onComplete();

    /** Completes now if nobody did yet. Returns true if this call completed it. */
    public final boolean forceComplete() {
        if (completed.compareAndSet(false, true)) {
            java.util.concurrent.Future<?> pending = timeout;
            if (pending != null) {
                pending.cancel(false);
            }
            onComplete();
            return true;
        }
        return false;
    }

    /** The scheduled timeout, cancelled if the operation completes before it fires. */
    final void timeout(java.util.concurrent.Future<?> scheduled) {
        this.timeout = scheduled;
        if (isCompleted()) {
            scheduled.cancel(false);
        }
    }
}
