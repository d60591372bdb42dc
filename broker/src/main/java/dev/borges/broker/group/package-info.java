/**
 * The group coordinator: consumer groups and their committed offsets, kept in the compacted
 * internal topic {@code __consumer_offsets}. {@link dev.borges.broker.group.GroupCoordinator} is
 * what the request handlers call; {@link dev.borges.broker.group.GroupCoordinatorShard} holds one
 * partition's groups and offsets, rebuilt by replaying that partition. Sub-packages:
 * {@code runtime} (shards, threads, timers, the write path), {@code record} (the on-disk format),
 * {@code classic} (the classic rebalance protocol), {@code consumer} and {@code assignor} (the
 * KIP-848 consumer group protocol, hosted in each shard by {@link dev.borges.broker.group.ConsumerGroupHost}),
 * {@code offsets} (committed offsets).
 */
package dev.borges.broker.group;
