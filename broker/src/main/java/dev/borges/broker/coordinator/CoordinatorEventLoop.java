package dev.borges.broker.coordinator;

/**
 * A single thread that runs a shard's events in order, and its timers. Production uses
 * {@link #singleThread}; tests use a loop they drive by hand with a manual clock.
 */
public interface CoordinatorEventLoop extends AutoCloseable {
    void execute(Runnable task);

    Cancellable schedule(Runnable task, long delayMs);

    @Override
    void close();

    /** A scheduled task that may be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** A daemon thread named {@code name}, with a timer queue that forgets cancelled timers at once. */
    static CoordinatorEventLoop singleThread(String name) {
        return new ExecutorEventLoop(name);
    }
}
