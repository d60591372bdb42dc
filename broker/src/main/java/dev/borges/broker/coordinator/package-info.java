/**
 * A coordinator runtime for state kept in an internal topic: one shard per partition this broker
 * leads, loaded by replaying the partition, driven by operations that return records plus a
 * response, on one event-loop thread per shard. See {@link dev.borges.broker.coordinator.CoordinatorRuntime}.
 * Writes may be transactional (records of a producer's transaction, pending in the shard until the
 * COMMIT or ABORT marker the runtime writes for it). Nothing here knows about groups: a
 * transaction coordinator can run on the same runtime.
 */
package dev.borges.broker.coordinator;
