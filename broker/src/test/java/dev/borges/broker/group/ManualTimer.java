package dev.borges.broker.group;

import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.broker.coordinator.CoordinatorTimer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link CoordinatorTimer} on a manual clock: {@link #advance} moves time and runs every timer
 * that became due, in deadline order, handing each result to the test's commit step.
 */
public final class ManualTimer implements CoordinatorTimer {
    private record Entry(long deadlineMs, long sequence, TimerTask task) {
    }

    private final Map<String, Entry> timers = new HashMap<>();
    private long nowMs;
    private long sequence;

    public ManualTimer(long startMs) {
        this.nowMs = startMs;
    }

    public long now() {
        return nowMs;
    }

    @Override
    public void schedule(String key, long delayMs, TimerTask task) {
        timers.put(key, new Entry(nowMs + delayMs, sequence++, task));
    }

    @Override
    public void cancel(String key) {
        timers.remove(key);
    }

    @Override
    public boolean isScheduled(String key) {
        return timers.containsKey(key);
    }

    public Optional<Long> deadline(String key) {
        return Optional.ofNullable(timers.get(key)).map(Entry::deadlineMs);
    }

    /** Moves the clock by {@code ms}, running due timers in order; each result goes to {@code commit}. */
    public void advance(long ms, Consumer<CoordinatorResult<Void>> commit) {
        long target = nowMs + ms;
        while (true) {
            Optional<Map.Entry<String, Entry>> next = timers.entrySet().stream()
                .filter(e -> e.getValue().deadlineMs() <= target)
                .min(Comparator.comparingLong((Map.Entry<String, Entry> e) -> e.getValue().deadlineMs())
                    .thenComparingLong(e -> e.getValue().sequence()));
            if (next.isEmpty()) {
                break;
            }
            timers.remove(next.get().getKey());
            nowMs = Math.max(nowMs, next.get().getValue().deadlineMs());
            commit.accept(next.get().getValue().task().run(nowMs));
        }
        nowMs = target;
    }
}
