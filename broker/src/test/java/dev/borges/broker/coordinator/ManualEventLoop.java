package dev.borges.broker.coordinator;

import dev.borges.storage.Time;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;

/**
 * A {@link CoordinatorEventLoop} the test drives: events queue until {@link #runAll}; timers fire
 * when {@link #advance} moves the manual clock past them. Also the runtime's {@link Time}. Events
 * may be queued from any thread (the metadata publisher loads shards from the controller's thread);
 * they run on the test's thread.
 */
public final class ManualEventLoop implements CoordinatorEventLoop, Time {
    private final Deque<Runnable> events = new java.util.concurrent.ConcurrentLinkedDeque<>();
    private final List<Timer> timers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long nowMs = 1_000_000L;
    private long sequence;
    boolean closed;

    private static final class Timer {
        final long deadlineMs;
        final long sequence;
        final Runnable task;
        boolean cancelled;

        Timer(long deadlineMs, long sequence, Runnable task) {
            this.deadlineMs = deadlineMs;
            this.sequence = sequence;
            this.task = task;
        }
    }

    @Override
    public void execute(Runnable task) {
        if (closed) {
            throw new java.util.concurrent.RejectedExecutionException("closed");
        }
        events.add(task);
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMs) {
        Timer timer = new Timer(nowMs + delayMs, sequence++, task);
        timers.add(timer);
        return () -> timer.cancelled = true;
    }

    @Override
    public void close() {
        runAll();
        closed = true;
    }

    /** Runs queued events (and the events they queue) until none is left. */
    public void runAll() {
        while (!events.isEmpty()) {
            events.poll().run();
        }
    }

    int pending() {
        return events.size();
    }

    /** Moves the clock, running each timer that becomes due and the events it causes. */
    public void advance(long ms) {
        long target = nowMs + ms;
        runAll();
        while (true) {
            Timer next = timers.stream().filter(t -> !t.cancelled && t.deadlineMs <= target)
                .min(Comparator.comparingLong((Timer t) -> t.deadlineMs).thenComparingLong(t -> t.sequence)).orElse(null);
            if (next == null) {
                break;
            }
            timers.remove(next);
            nowMs = Math.max(nowMs, next.deadlineMs);
            next.task.run();
            runAll();
        }
        nowMs = target;
    }

    @Override
    public long milliseconds() {
        return nowMs;
    }

    @Override
    public long nanoseconds() {
        return nowMs * 1_000_000L;
    }
}
