package dev.borges.broker.coordinator;

/**
 * Timers of one shard (session timeouts, rebalance timeouts, the periodic offset expiry). A timer
 * that fires runs its task as a write operation on the shard's thread, so its records are appended
 * and replayed like any other. Scheduling a key that is already scheduled replaces that timer.
 *
 * <p>Threading: used only on the shard's thread.
 */
public interface CoordinatorTimer {
    void schedule(String key, long delayMs, TimerTask task);

    void cancel(String key);

    boolean isScheduled(String key);

    /** What a timer does when it fires. */
    @FunctionalInterface
    interface TimerTask {
        CoordinatorResult<Void> run(long nowMs);
    }
}
