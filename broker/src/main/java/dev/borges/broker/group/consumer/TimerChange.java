package dev.borges.broker.group.consumer;

/** A change an operation asks of the coordinator runtime's timers (see {@link ConsumerGroupTimeout}). */
public sealed interface TimerChange {

    /** Run {@link ConsumerGroupManager#expire} with {@code timeout} at {@code deadlineMs}, replacing a timer with the same key. */
    record Schedule(ConsumerGroupTimeout timeout, long deadlineMs) implements TimerChange {
    }

    /** Drop the timer with this key, if any. */
    record Cancel(String key) implements TimerChange {
    }
}
