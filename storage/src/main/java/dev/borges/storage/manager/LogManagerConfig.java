package dev.borges.storage.manager;

import dev.borges.storage.cleaner.CleanerConfig;
import dev.borges.storage.producer.ProducerStateConfig;

/**
 * The broker-level settings of the log manager's background work, with Kafka's names and defaults:
 * {@code log.retention.check.interval.ms} (5 minutes), {@code log.flush.scheduler.interval.ms}
 * (never), {@code log.flush.offset.checkpoint.interval.ms} (1 minute) and the delay before a
 * dropped segment's files are removed ({@code file.delete.delay.ms}, 1 minute), which lets reads
 * still sending those files finish, and how long an idle idempotent producer's state is kept
 * ({@code producer.id.expiration.ms}, 1 day), and the log cleaner's settings ({@code log.cleaner.*}).
 */
public record LogManagerConfig(long retentionCheckIntervalMs, long flushSchedulerIntervalMs, long checkpointIntervalMs,
                               long fileDeleteDelayMs, ProducerStateConfig producerState, CleanerConfig cleaner) {

    public static final LogManagerConfig DEFAULTS = new LogManagerConfig(300_000L, Long.MAX_VALUE, 60_000L, 60_000L,
        ProducerStateConfig.defaults(), CleanerConfig.defaults());
}
