package dev.borges.storage.log;

import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.index.CorruptIndexException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a partition directory into its segments, repairing what a crash left behind.
 *
 * <ol>
 *   <li>Leftovers of interrupted operations: {@code .deleted} (retention had decided) and
 *       {@code .cleaned} (compaction had not finished) files are removed; {@code .tmp} files too.
 *       A {@code .swap} segment is a finished compaction result whose swap-in was cut short: the
 *       segments it replaces are removed and it takes its final name.</li>
 *   <li>Every {@code .log} file becomes a segment; one whose index files are missing or fail the
 *       sanity check has them rebuilt.</li>
 *   <li>After an unclean shutdown, every segment from the one holding the recovery point on is
 *       recovered: batches checked one by one (length, magic, CRC, offsets), indexes rebuilt, the
 *       file cut after the last valid batch; if a segment had to be cut, the segments after it
 *       are deleted, since nothing after a hole can be trusted.</li>
 * </ol>
 * A segment's aborted-transaction index ({@code .txnindex}) cannot be rebuilt from the segment
 * alone: an entry needs the first offset of a transaction that may have begun in an earlier segment,
 * and the last stable offset of the moment. So the loader resets the transaction index of every
 * recovered segment (and of any that fails its sanity check, and of every segment after it) and
 * reports, as {@link #txnIndexRebuildFrom()}, the first such segment; the producer-state replay then
 * fills them again ({@link ProducerStateLoader}).
 *
 * <p>Swaps: a compacted segment comes in as {@code .cleaned} files renamed to {@code .swap} (the
 * log file last: a {@code .log.swap} means every index of the new segment is there as
 * {@code .swap}, its transaction index included, which the swap always writes), then the old
 * segments are renamed {@code .deleted}, then the {@code .swap} files take their live names (the log
 * file last again). A restart finding a {@code .log.swap} completes the swap; {@code .swap} index
 * files without one are from a swap that never began and are removed.
 *
 * <p>Single-threaded: runs before the log is visible to anyone.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);

    private final Path dir;
    private final LogConfig config;
    private final long nowMs;
    private long txnIndexRebuildFrom = ProducerStateLoader.NO_REBUILD;

    LogLoader(Path dir, LogConfig config, long nowMs) {
        this.dir = dir;
        this.config = config;
        this.nowMs = nowMs;
    }

    /**
     * Loads the segments of the directory, creating one at {@code logStartOffset} if it has none.
     *
     * @param onRecoveredBatch receives every batch checked during recovery, in offset order
     * @return the segments, ready for appends at the active one
     */
    LogSegments load(boolean hadCleanShutdown, long recoveryPoint, long logStartOffset, Consumer<RecordBatch> onRecoveredBatch)
        throws IOException {
        Files.createDirectories(dir);
        removeLeftovers();
        completeInterruptedSwaps();
        // After an unclean shutdown every segment from the recovery point on is rebuilt anyway, so
        // only the ones below it need their indexes checked.
        LogSegments segments = openSegments(hadCleanShutdown ? Long.MAX_VALUE : recoveryPoint);
        if (segments.isEmpty()) {
            segments.add(openSegment(logStartOffset, ""));
        } else if (!hadCleanShutdown) {
            recover(segments, recoveryPoint, onRecoveredBatch);
        }
        // The replay re-indexes every segment from the first reset one on: empty the ones after it too.
        for (LogSegment segment : segments.from(txnIndexRebuildFrom)) {
            segment.txnIndex().reset();
        }
        segments.active().onBecomeActive(config.segmentIndexBytes());
        return segments;
    }

    /**
     * The base offset of the first segment whose transaction index the load reset, from which the
     * producer-state replay must rebuild them; {@link ProducerStateLoader#NO_REBUILD} if none.
     */
    long txnIndexRebuildFrom() {
        return txnIndexRebuildFrom;
    }

    private void removeLeftovers() throws IOException {
        for (Path file : list()) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogSegment.DELETED_SUFFIX) || name.endsWith(LogSegment.CLEANED_SUFFIX) || name.endsWith(".tmp")) {
                LOG.info("Removing {}, left by an interrupted operation", file);
                Files.deleteIfExists(file);
            }
        }
    }

    /**
     * A {@code .swap} log file is complete (it is renamed to .swap only once fully written, and after
     * its index files): the live segments it covers are removed and the swap files take their place.
     */
    private void completeInterruptedSwaps() throws IOException {
        for (Path swapLog : list()) {
            if (!swapLog.getFileName().toString().endsWith(LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX)) {
                continue;
            }
            long base = LogSegment.baseOffsetOf(swapLog);
            long next;
            try (LogSegment swapped = LogSegment.open(dir, base, config.segmentIndexBytes(), config.indexIntervalBytes(), 0, nowMs,
                LogSegment.SWAP_SUFFIX)) {
                next = swapped.readNextOffset();
            }
            for (Path live : list()) {
                String name = live.getFileName().toString();
                if (name.endsWith(LogSegment.LOG_SUFFIX)) {
                    long liveBase = LogSegment.baseOffsetOf(live);
                    if (liveBase >= base && liveBase < next) {
                        LOG.info("Completing an interrupted swap: removing segment {} replaced by {}", live, swapLog);
                        deleteSegmentFiles(liveBase, "");
                    }
                }
            }
            // A missing .txnindex.swap was renamed live before the crash (the live one at the base is the
            // new segment's: the old segment there had been removed above, or renamed away before).
            for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX, LogSegment.TXN_INDEX_SUFFIX,
                LogSegment.LOG_SUFFIX)) {
                Path swap = LogSegment.file(dir, base, suffix + LogSegment.SWAP_SUFFIX);
                if (Files.exists(swap)) {
                    Files.move(swap, LogSegment.file(dir, base, suffix), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
            }
            // The swap's indexes may not have been written out: rebuild them.
            Files.deleteIfExists(LogSegment.file(dir, base, LogSegment.INDEX_SUFFIX));
            Files.deleteIfExists(LogSegment.file(dir, base, LogSegment.TIME_INDEX_SUFFIX));
        }
        // Index files whose log file is gone (a segment half renamed to .deleted when a swap was cut
        // short) would otherwise be trusted by a later segment of the same base offset.
        for (Path file : list()) {
            String name = file.getFileName().toString();
            if ((name.endsWith(LogSegment.INDEX_SUFFIX) || name.endsWith(LogSegment.TIME_INDEX_SUFFIX)
                || name.endsWith(LogSegment.TXN_INDEX_SUFFIX))
                && !Files.exists(LogSegment.file(dir, LogSegment.baseOffsetOf(file), LogSegment.LOG_SUFFIX))) {
                Files.delete(file);
            }
        }
        // Index files still named .swap with no .log.swap: a crash while a compacted segment's files
        // were being renamed to .swap, before its log file was. The old segments are intact; their
        // offset and time indexes are rebuilt anyway, to be safe, and their transaction index kept.
        for (Path file : list()) {
            String name = file.getFileName().toString();
            if (name.endsWith(LogSegment.INDEX_SUFFIX + LogSegment.SWAP_SUFFIX)
                || name.endsWith(LogSegment.TIME_INDEX_SUFFIX + LogSegment.SWAP_SUFFIX)) {
                long base = LogSegment.baseOffsetOf(file);
                Files.delete(file);
                Files.deleteIfExists(LogSegment.file(dir, base, LogSegment.INDEX_SUFFIX));
                Files.deleteIfExists(LogSegment.file(dir, base, LogSegment.TIME_INDEX_SUFFIX));
            } else if (name.endsWith(LogSegment.TXN_INDEX_SUFFIX + LogSegment.SWAP_SUFFIX)) {
                Files.delete(file);
            }
        }
    }

    private LogSegments openSegments(long checkIndexesBelow) throws IOException {
        LogSegments segments = new LogSegments();
        List<Path> logFiles = list().stream().filter(f -> f.getFileName().toString().endsWith(LogSegment.LOG_SUFFIX)).toList();
        for (int i = 0; i < logFiles.size(); i++) {
            Path file = logFiles.get(i);
            long base = LogSegment.baseOffsetOf(file);
            long nextBase = i + 1 < logFiles.size() ? LogSegment.baseOffsetOf(logFiles.get(i + 1)) : Long.MAX_VALUE;
            boolean toBeRecovered = nextBase > checkIndexesBelow;
            boolean indexesPresent = Files.exists(LogSegment.file(dir, base, LogSegment.INDEX_SUFFIX))
                && Files.exists(LogSegment.file(dir, base, LogSegment.TIME_INDEX_SUFFIX));
            LogSegment segment = openSegment(base, "");
            if (!toBeRecovered && (!indexesPresent || !indexesSane(segment))) {
                LOG.info("Rebuilding the indexes of {}", file);
                segment.recover(batch -> { });
            }
            if (!toBeRecovered && !txnIndexSane(segment)) {
                LOG.info("Rebuilding the transaction index of {}", file);
                resetTxnIndex(segment);
            }
            segments.add(segment);
        }
        return segments;
    }

    private static boolean indexesSane(LogSegment segment) {
        try {
            segment.offsetIndex().sanityCheck();
            segment.timeIndex().sanityCheck();
            return true;
        } catch (CorruptIndexException e) {
            LOG.warn("{}", e.getMessage());
            return false;
        }
    }

    private static boolean txnIndexSane(LogSegment segment) {
        try {
            segment.txnIndex().sanityCheck();
            return true;
        } catch (CorruptIndexException e) {
            LOG.warn("{}", e.getMessage());
            return false;
        }
    }

    /** Empties a segment's transaction index, for the producer-state replay to rebuild. */
    private void resetTxnIndex(LogSegment segment) throws IOException {
        segment.txnIndex().reset();
        txnIndexRebuildFrom = Math.min(txnIndexRebuildFrom, segment.baseOffset());
    }

    private void recover(LogSegments segments, long recoveryPoint, Consumer<RecordBatch> onRecoveredBatch) throws IOException {
        long from = segments.floor(recoveryPoint).map(LogSegment::baseOffset).orElse(segments.first().baseOffset());
        List<LogSegment> toRecover = new ArrayList<>(segments.from(from));
        for (int i = 0; i < toRecover.size(); i++) {
            LogSegment segment = toRecover.get(i);
            // The index may lack entries of markers written after the last flush: rebuilt by the replay.
            resetTxnIndex(segment);
            int truncated = segment.recover(onRecoveredBatch);
            if (i + 1 < toRecover.size() && truncated == 0) {
                segment.onBecomeInactive(); // trim the rebuilt indexes of a closed segment again
            }
            if (truncated > 0) {
                LOG.warn("Recovery cut {} invalid bytes from the end of {}", truncated, segment.log().file());
                for (LogSegment later : toRecover.subList(i + 1, toRecover.size())) {
                    LOG.warn("Recovery deletes {}, which follows invalid data", later.log().file());
                    segments.remove(later.baseOffset());
                    later.deleteIfExists();
                }
                break;
            }
        }
    }

    private LogSegment openSegment(long baseOffset, String suffix) throws IOException {
        return LogSegment.open(dir, baseOffset, config.segmentIndexBytes(), config.indexIntervalBytes(),
            SegmentJitter.random(config.segmentJitterMs()), nowMs, suffix);
    }

    private void deleteSegmentFiles(long baseOffset, String suffix) throws IOException {
        for (String kind : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX,
            LogSegment.TXN_INDEX_SUFFIX)) {
            Files.deleteIfExists(LogSegment.file(dir, baseOffset, kind + suffix));
        }
    }

    private List<Path> list() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }
}
