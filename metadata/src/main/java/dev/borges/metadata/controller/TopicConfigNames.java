package dev.borges.metadata.controller;

import java.util.Set;

/**
 * The topic-level config names Kafka 4.x accepts ({@code TopicConfig}); the controller answers
 * INVALID_CONFIG for any other name, as Kafka does. Only names live here: types, defaults and
 * ranges belong to the storage module's log config, which the broker applies through a
 * {@link ConfigValidator}.
 */
public final class TopicConfigNames {
    /** Every topic config name. */
    public static final Set<String> ALL = Set.of(
        "cleanup.policy",
        "compression.type",
        "compression.gzip.level",
        "compression.lz4.level",
        "compression.zstd.level",
        "delete.retention.ms",
        "file.delete.delay.ms",
        "flush.messages",
        "flush.ms",
        "follower.replication.throttled.replicas",
        "index.interval.bytes",
        "leader.replication.throttled.replicas",
        "local.retention.bytes",
        "local.retention.ms",
        "max.compaction.lag.ms",
        "max.message.bytes",
        "message.timestamp.after.max.ms",
        "message.timestamp.before.max.ms",
        "message.timestamp.type",
        "min.cleanable.dirty.ratio",
        "min.compaction.lag.ms",
        "min.insync.replicas",
        "preallocate",
        "remote.log.copy.disable",
        "remote.log.delete.on.disable",
        "remote.storage.enable",
        "retention.bytes",
        "retention.ms",
        "segment.bytes",
        "segment.index.bytes",
        "segment.jitter.ms",
        "segment.ms",
        "unclean.leader.election.enable");

    /** The list-typed ones: the only topic configs APPEND and SUBTRACT apply to. */
    public static final Set<String> LISTS = Set.of(
        "cleanup.policy",
        "follower.replication.throttled.replicas",
        "leader.replication.throttled.replicas");

    private TopicConfigNames() {
    }
}
