package dev.borges.broker.coordinator;

/** An operation that only reads the shard's state. */
@FunctionalInterface
public interface CoordinatorReadOperation<S, T> {
    T read(S shard, long nowMs);
}
