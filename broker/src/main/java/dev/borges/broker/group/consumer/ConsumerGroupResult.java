package dev.borges.broker.group.consumer;

import java.util.List;

/**
 * What a consumer group operation produces, for the coordinator runtime to carry out in order:
 * append {@link #records} to the group's {@code __consumer_offsets} partition; once written,
 * replay them ({@link ConsumerGroupManager#replay}) and apply the {@link #timers} changes; then
 * send {@link #response}. The operation itself changed nothing, so a failed write leaves the
 * state as it was. The next operation on the same shard must run after these records are
 * replayed, since it reads the state they produce.
 *
 * <p>An error response comes with no records and no timer changes. Immutable.
 *
 * @param response the API response to send, or null for operations without one (timeouts)
 */
public record ConsumerGroupResult<T>(List<ConsumerGroupRecord> records, T response, List<TimerChange> timers) {
    public ConsumerGroupResult {
        records = List.copyOf(records);
        timers = List.copyOf(timers);
    }

    /** A result that changes nothing. */
    public static <T> ConsumerGroupResult<T> of(T response) {
        return new ConsumerGroupResult<>(List.of(), response, List.of());
    }
}
