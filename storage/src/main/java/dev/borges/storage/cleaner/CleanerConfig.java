package dev.borges.storage.cleaner;

import dev.borges.storage.config.ConfigKey;
import dev.borges.storage.config.InvalidConfigException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker-level settings of the log cleaner, with Kafka's key names and defaults. The per-topic
 * settings that decide <em>what</em> is cleaned ({@code cleanup.policy}, {@code
 * min.cleanable.dirty.ratio}, {@code min/max.compaction.lag.ms}, {@code delete.retention.ms}) live in
 * {@link dev.borges.storage.config.LogConfig}; these decide how the cleaner runs.
 *
 * <p>Borges runs one cleaner thread ({@code log.cleaner.threads} accepts only 1), whose offset map
 * takes the whole {@code log.cleaner.dedupe.buffer.size}. Immutable.
 *
 * @param enabled whether the broker starts the cleaner thread at all
 * @param backoffMs how long the thread sleeps when no log needs cleaning
 * @param dedupeBufferSize bytes of the offset map (24 bytes per key)
 * @param dedupeBufferLoadFactor how full the offset map may get before a pass stops reading more dirty records
 */
public record CleanerConfig(boolean enabled, int threads, long backoffMs, long dedupeBufferSize, double dedupeBufferLoadFactor) {
    public static final String ENABLE = "log.cleaner.enable";
    public static final String THREADS = "log.cleaner.threads";
    public static final String BACKOFF_MS = "log.cleaner.backoff.ms";
    public static final String DEDUPE_BUFFER_SIZE = "log.cleaner.dedupe.buffer.size";
    public static final String IO_BUFFER_LOAD_FACTOR = "log.cleaner.io.buffer.load.factor";

    /** Every key, in documentation order. */
    public static final List<ConfigKey> KEYS = List.of(
        ConfigKey.booleanKey(ENABLE, true, "Run the log cleaner, which compacts topics with cleanup.policy=compact."),
        new ConfigKey(THREADS, ConfigKey.Type.INT, 1, 1.0, 1.0, List.of(), "Cleaner threads; Borges runs exactly one."),
        ConfigKey.longKey(BACKOFF_MS, 15_000L, 0, "How long the cleaner sleeps when no log needs cleaning."),
        ConfigKey.longKey(DEDUPE_BUFFER_SIZE, 128L * 1024 * 1024, OffsetMap.BYTES_PER_ENTRY * 2L,
            "Memory of the cleaner's offset map (key digest to latest offset), 24 bytes per key."),
        ConfigKey.doubleKey(IO_BUFFER_LOAD_FACTOR, 0.9, 0.1, 0.99, "How full the offset map may become in one cleaning pass."));

    public CleanerConfig {
        if (threads != 1) {
            throw new InvalidConfigException(THREADS + " must be 1: Borges runs a single cleaner thread");
        }
        if (dedupeBufferSize < OffsetMap.BYTES_PER_ENTRY * 2L) {
            throw new InvalidConfigException(DEDUPE_BUFFER_SIZE + " must be at least " + OffsetMap.BYTES_PER_ENTRY * 2);
        }
    }

    /** All defaults. */
    public static CleanerConfig defaults() {
        return of(Map.of());
    }

    /**
     * The defaults with {@code overrides} applied; keys other than the cleaner's are ignored, so a
     * whole broker configuration can be passed.
     *
     * @throws InvalidConfigException for an invalid value
     */
    public static CleanerConfig of(Map<String, String> overrides) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ConfigKey key : KEYS) {
            String text = overrides.get(key.name());
            values.put(key.name(), text == null ? key.defaultValue() : key.parse(text));
        }
        return new CleanerConfig((Boolean) values.get(ENABLE), (Integer) values.get(THREADS), (Long) values.get(BACKOFF_MS),
            (Long) values.get(DEDUPE_BUFFER_SIZE), (Double) values.get(IO_BUFFER_LOAD_FACTOR));
    }

    /** A copy whose offset map takes {@code bytes} ({@value #DEDUPE_BUFFER_SIZE}). */
    public CleanerConfig withDedupeBufferSize(long bytes) {
        return new CleanerConfig(enabled, threads, backoffMs, bytes, dedupeBufferLoadFactor);
    }
}
