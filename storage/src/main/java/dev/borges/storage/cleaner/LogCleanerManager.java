package dev.borges.storage.cleaner;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleaner's bookkeeping for many logs: which need cleaning, which is dirtiest, which are being
 * cleaned, which failed, and their checkpoints. Holds no log; callers pass the logs they own.
 *
 * <p>A compacted, online log needs a pass when any of these holds (Kafka's rules, plus the third):
 * <ol>
 *   <li>its cleanable dirty ratio is above {@code min.cleanable.dirty.ratio};</li>
 *   <li>{@code max.compaction.lag.ms} has passed for a dirty record that can be cleaned (KIP-354);</li>
 *   <li>the earliest delete horizon the last pass left on a tombstone batch has passed, so a pass
 *       would remove tombstones. Kafka only drops expired tombstones when dirt brings the cleaner
 *       back; Borges also comes back for them, so tombstones go within about
 *       {@code delete.retention.ms} plus the cleaner's backoff even on a quiet topic. The horizon is
 *       remembered in memory only: after a restart the first pass that happens learns it again.</li>
 * </ol>
 * Among logs that need a pass, the one with the highest dirty ratio goes first.
 *
 * <p>A log whose pass fails with an unexpected error (a corrupt batch, an I/O error) is marked
 * uncleanable and skipped until the partition is deleted or the broker restarts, so one bad log
 * cannot stop compaction of the others.
 *
 * <p>Thread-safe: every method synchronizes on this instance; passes run outside that lock, each
 * log at most one at a time (the in-progress set).
 */
final class LogCleanerManager {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleanerManager.class);

    private final CleanerCheckpoints checkpoints = new CleanerCheckpoints();
    private final Set<TopicPartition> inProgress = new HashSet<>();
    private final Map<TopicPartition, String> uncleanable = new LinkedHashMap<>();
    private final Map<TopicPartition, Long> deleteHorizons = new HashMap<>();

    /** Either a log to clean now, marked in progress, or why not. */
    record Grab(Optional<LogToClean> target, CleanResult.Outcome reason, long firstDirtyOffset) {
        static Grab not(CleanResult.Outcome reason, long firstDirtyOffset) {
            return new Grab(Optional.empty(), reason, firstDirtyOffset);
        }
    }

    /** Takes {@code log} for a pass if it needs one at {@code nowMs}. */
    synchronized Grab grab(PartitionLog log, long nowMs) {
        TopicPartition partition = log.topicPartition();
        if (inProgress.contains(partition)) {
            return Grab.not(CleanResult.Outcome.IN_PROGRESS, checkpoints.get(log).orElse(log.logStartOffset()));
        }
        Optional<LogToClean> candidate = measure(log, nowMs);
        if (candidate.isEmpty() || !needsCleaning(candidate.get(), nowMs)) {
            long firstDirty = candidate.map(LogToClean::firstDirtyOffset).orElse(log.logStartOffset());
            return Grab.not(CleanResult.Outcome.NOT_NEEDED, firstDirty);
        }
        inProgress.add(partition);
        return new Grab(candidate, CleanResult.Outcome.CLEANED, candidate.get().firstDirtyOffset());
    }

    /** Takes the dirtiest of {@code logs} that needs a pass at {@code nowMs}, if any. */
    synchronized Optional<LogToClean> grabDirtiest(Collection<PartitionLog> logs, long nowMs) {
        Optional<LogToClean> dirtiest = logs.stream()
            .filter(log -> !inProgress.contains(log.topicPartition()))
            .map(log -> measure(log, nowMs))
            .flatMap(Optional::stream)
            .filter(candidate -> needsCleaning(candidate, nowMs))
            .max(Comparator.comparingDouble(LogToClean::cleanableRatio));
        dirtiest.ifPresent(candidate -> inProgress.add(candidate.log().topicPartition()));
        return dirtiest;
    }

    /** Ends a pass: moves the checkpoint if the log was cleaned and remembers its tombstones' horizon. */
    synchronized void done(PartitionLog log, CleanResult result) {
        inProgress.remove(log.topicPartition());
        if (result.outcome() == CleanResult.Outcome.CLEANED) {
            checkpoints.put(log, result.endOffset());
            if (result.earliestDeleteHorizonMs() == RecordBatch.NO_TIMESTAMP) {
                deleteHorizons.remove(log.topicPartition());
            } else {
                deleteHorizons.put(log.topicPartition(), result.earliestDeleteHorizonMs());
            }
        }
    }

    /** Ends a pass that failed: the log is skipped from now on. */
    synchronized void failed(PartitionLog log, Throwable cause) {
        inProgress.remove(log.topicPartition());
        uncleanable.put(log.topicPartition(), cause.toString());
        LOG.error("Cleaning {} failed; it will not be cleaned again until it is deleted or the broker restarts",
            log.topicPartition(), cause);
    }

    synchronized OptionalLong checkpoint(PartitionLog log) {
        return checkpoints.get(log);
    }

    synchronized void truncated(PartitionLog log, long offset) {
        checkpoints.truncateTo(log, offset);
    }

    synchronized void deleted(PartitionLog log) {
        checkpoints.remove(CleanerCheckpoints.logDir(log), log.topicPartition());
        uncleanable.remove(log.topicPartition());
        deleteHorizons.remove(log.topicPartition());
    }

    synchronized Map<TopicPartition, String> uncleanable() {
        return Map.copyOf(uncleanable);
    }

    /** The log's state, if it is one the cleaner looks at at all; a checkpoint outside the log is reset. */
    private Optional<LogToClean> measure(PartitionLog log, long nowMs) {
        if (!log.config().compact() || log.isOffline() || uncleanable.containsKey(log.topicPartition())) {
            return Optional.empty();
        }
        try {
            LogToClean candidate = LogToClean.of(log, checkpoints.get(log), nowMs);
            if (candidate.checkpointReset()) {
                LOG.info("The cleaner checkpoint of {} lies outside the log; cleaning starts again at {}", log.topicPartition(),
                    candidate.firstDirtyOffset());
                checkpoints.put(log, candidate.firstDirtyOffset());
            }
            return candidate.totalBytes() > 0 ? Optional.of(candidate) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            uncleanable.put(log.topicPartition(), e.toString());
            LOG.error("Cannot measure {} for cleaning; marking it uncleanable", log.topicPartition(), e);
            return Optional.empty();
        }
    }

    private boolean needsCleaning(LogToClean candidate, long nowMs) {
        Long horizon = deleteHorizons.get(candidate.log().topicPartition());
        return candidate.dirtyEnough() || candidate.mustCompactNow() || (horizon != null && nowMs >= horizon);
    }
}
