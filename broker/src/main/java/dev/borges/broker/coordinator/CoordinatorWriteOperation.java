package dev.borges.broker.coordinator;

/** An operation that may write: it returns records and a response, and must not change durable state itself. */
@FunctionalInterface
public interface CoordinatorWriteOperation<S, T> {
    CoordinatorResult<T> generate(S shard, long nowMs);
}
