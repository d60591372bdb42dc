/**
 * Committed offsets: the store rebuilt by replay ({@link dev.borges.broker.group.offsets.OffsetStore})
 * and OffsetCommit / OffsetFetch / OffsetDelete and expiry over it
 * ({@link dev.borges.broker.group.offsets.OffsetManager}).
 */
package dev.borges.broker.group.offsets;
