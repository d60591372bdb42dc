package dev.borges.storage.cleaner;

import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordIterator;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.BatchHeader;
import dev.borges.storage.log.FileRecords;
import dev.borges.storage.log.LogSegment;
import dev.borges.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cleaning pass over one log: the compaction algorithm. Selection (which log, whether it needs
 * it) and the checkpoint are the {@link LogCleanerManager}'s.
 *
 * <p>The pass has two phases. <b>Map</b>: read the dirty cleanable section, from the first dirty
 * offset to the cleanable end, and record in the {@link OffsetMap} the latest offset of every key
 * (control batches and records of aborted transactions contribute nothing: an aborted value must
 * never hide the committed one before it). If the map fills up, the pass stops at a batch boundary
 * and covers only what it read: {@code mapEnd}. <b>Rewrite</b>: every inactive segment from the
 * log start up to {@code mapEnd} (whole segments, below the cleanable end) is read again, grouped
 * ({@link SegmentGroups}), and each group is written, through a {@link BatchFilter}, into one new
 * segment with the {@code .cleaned} suffix, which the {@link SegmentSwapper} puts in place of the
 * group. The clean section is rewritten too: its older values die when a newer one is dirty, and
 * its tombstones die once their delete horizon passes. Records of aborted transactions are dropped
 * and transaction markers removed once safe ({@link CleanedTransactions}); the aborted transactions
 * come from the log's transaction indexes, and each cleaned segment's own index keeps the entries of
 * the ABORT markers it keeps whose records were still there. The new checkpoint is {@code mapEnd}.
 *
 * <p>Crash safety rests on {@link PartitionLog#replaceSegments} and the log loader, which completes
 * an interrupted swap by removing the live segments whose base offsets lie in the swapped segment's
 * range {@code [base, next offset)}. A cleaned segment therefore never ends before the last old
 * segment's base offset: if compaction dropped every batch from there on, the segment ends with an
 * empty batch at the group's last offset, carrying the producer id, epoch and last sequence of the
 * group's last batch (Kafka keeps empty batches for producer state; this is the only one Borges keeps).
 * A group that comes out byte for byte unchanged (a single segment with nothing to drop) is not swapped.
 *
 * <p>Threading: one instance per cleaner thread (it owns the offset map); reads the log's immutable
 * inactive segments without its lock; only the swap takes it.
 */
final class Cleaner {
    private static final Logger LOG = LoggerFactory.getLogger(Cleaner.class);
    private static final int WRITE_BUFFER_BYTES = 1024 * 1024;

    private final OffsetMap map;
    private final SegmentSwapper swapper;

    Cleaner(OffsetMap map, SegmentSwapper swapper) {
        this.map = map;
        this.swapper = swapper;
    }

    /** Cleans {@code target} as of {@code nowMs}, which decides which tombstones have expired. */
    CleanResult clean(LogToClean target, long nowMs) throws IOException {
        PartitionLog log = target.log();
        LogConfig config = log.config();
        map.clear();
        long mapEnd;
        try {
            mapEnd = buildOffsetMap(target);
        } catch (IOException e) {
            return abortIfChanged(target, target.segments(), e);
        }
        long rewriteEnd = Math.min(mapEnd, target.cleanableEndOffset());
        List<SegmentView> toRewrite = new ArrayList<>();
        for (SegmentView view : target.segments()) {
            if (view.baseOffset() < rewriteEnd) {
                toRewrite.add(view);
            }
        }
        List<List<SegmentView>> groups = SegmentGroups.group(toRewrite, config.segmentBytes(), config.segmentIndexBytes());
        LOG.info("Cleaning {}: offsets {}-{} mapped ({} keys), rewriting {} segments in {} groups", log.topicPartition(),
            target.firstDirtyOffset(), mapEnd, map.size(), toRewrite.size(), groups.size());
        CleanedTransactions transactions = toRewrite.isEmpty() ? new CleanedTransactions(List.of())
            : new CleanedTransactions(log.collectAbortedTransactions(toRewrite.get(0).baseOffset(),
                toRewrite.get(toRewrite.size() - 1).endOffset()));
        BatchFilter filter = new BatchFilter(map, mapEnd, nowMs, config.deleteRetentionMs(), transactions);
        PassStats stats = new PassStats();
        for (int i = 0; i < groups.size(); i++) {
            boolean swapped;
            try {
                swapped = cleanGroup(log, config, groups.get(i), filter, stats, nowMs);
            } catch (IOException e) {
                List<SegmentView> remaining = new ArrayList<>();
                groups.subList(i, groups.size()).forEach(remaining::addAll);
                return abortIfChanged(target, remaining, e);
            }
            if (!swapped) {
                LOG.info("Cleaning {} aborted: its segments changed during the pass", log.topicPartition());
                return CleanResult.nothing(log.topicPartition(), CleanResult.Outcome.ABORTED, target.firstDirtyOffset());
            }
        }
        return new CleanResult(log.topicPartition(), CleanResult.Outcome.CLEANED, target.firstDirtyOffset(), mapEnd,
            toRewrite.size(), stats.segmentsWritten, stats.bytesRead, stats.bytesWritten, stats.recordsRemoved,
            stats.tombstonesRemoved, stats.earliestHorizon, stats.abortedRecordsRemoved, stats.markersRemoved);
    }

    /**
     * Fills the offset map from the dirty cleanable section and returns the first offset it does not
     * cover: the cleanable end, or the base offset of the first batch that did not fit.
     */
    private long buildOffsetMap(LogToClean target) throws IOException {
        long firstDirty = target.firstDirtyOffset();
        long mapEnd = firstDirty;
        CleanedTransactions transactions = new CleanedTransactions(firstDirty >= target.cleanableEndOffset() ? List.of()
            : target.log().collectAbortedTransactions(firstDirty, target.cleanableEndOffset()));
        for (SegmentView view : target.segments()) {
            if (view.endOffset() <= firstDirty || view.endOffset() > target.cleanableEndOffset()) {
                continue;
            }
            FileRecords file = view.segment().log();
            int position = view.baseOffset() >= firstDirty ? 0
                : view.segment().translateOffset(firstDirty).map(BatchHeader::position).orElse(file.sizeInBytes());
            RecordBatch batch;
            while ((batch = readValid(file, position)) != null) {
                position += batch.sizeInBytes();
                if (batch.lastOffset() < firstDirty) {
                    continue;
                }
                if (batch.isControlBatch()) {
                    transactions.onControlBatch(batch);
                } else if (!transactions.isAborted(batch)) {
                    if (map.remaining() < batch.recordCount()) {
                        if (map.size() == 0) {
                            throw new IllegalStateException("The offset map (" + map.maxEntries() + " keys) cannot hold a batch of "
                                + batch.recordCount() + " records; raise " + CleanerConfig.DEDUPE_BUFFER_SIZE);
                        }
                        return batch.baseOffset();
                    }
                    putKeys(batch);
                }
                mapEnd = batch.nextOffset();
            }
            mapEnd = view.endOffset();
        }
        return mapEnd;
    }

    private void putKeys(RecordBatch batch) {
        try (RecordIterator records = batch.recordIterator()) {
            while (records.hasNext()) {
                Record record = records.next();
                ByteBuffer key = record.key();
                if (key != null) {
                    map.put(key, record.offset());
                }
            }
        }
    }

    /** Writes one group into a cleaned segment and swaps it in; false if the log changed and the swap was refused. */
    private boolean cleanGroup(PartitionLog log, LogConfig config, List<SegmentView> group, BatchFilter filter, PassStats stats,
                               long nowMs) throws IOException {
        long base = group.get(0).baseOffset();
        SegmentView lastOld = group.get(group.size() - 1);
        deleteCleanedFiles(log.dir(), base);
        LogSegment cleaned = LogSegment.open(log.dir(), base, config.segmentIndexBytes(), config.indexIntervalBytes(), 0L, nowMs,
            LogSegment.CLEANED_SUFFIX);
        boolean handedOver = false;
        try {
            SegmentWriter writer = new SegmentWriter(cleaned);
            boolean changed = group.size() > 1;
            RecordBatch lastBatch = null;
            long groupLastOffset = lastOld.baseOffset();
            long groupBytes = 0;
            for (SegmentView view : group) {
                groupBytes += view.size();
                FileRecords file = view.segment().log();
                int position = 0;
                RecordBatch batch;
                while ((batch = readValid(file, position)) != null) {
                    position += batch.sizeInBytes();
                    BatchFilter.Filtered filtered = filter.filter(batch);
                    changed |= filtered.outcome() != BatchFilter.Outcome.KEPT;
                    if (filtered.outcome() != BatchFilter.Outcome.DROPPED) {
                        writer.write(filtered.records(), filtered.lastOffset());
                    }
                    if (filtered.keptAbortedTxn().isPresent()) {
                        cleaned.txnIndex().append(filtered.keptAbortedTxn().get());
                    }
                    stats.add(filtered);
                    lastBatch = batch;
                    groupLastOffset = Math.max(groupLastOffset, batch.lastOffset());
                }
            }
            stats.bytesRead += groupBytes;
            if (!changed || lastBatch == null) {
                stats.bytesWritten += groupBytes;
                return true; // nothing to gain from a swap; the finally block discards the cleaned files
            }
            if (writer.lastOffset < lastOld.baseOffset()) {
                writer.write(BatchFilter.emptyBatchAt(groupLastOffset, lastBatch), groupLastOffset);
            }
            writer.finish();
            Files.setLastModifiedTime(cleaned.log().file(), FileTime.fromMillis(lastOld.segment().lastModifiedMs()));
            List<LogSegment> oldSegments = group.stream().map(SegmentView::segment).toList();
            handedOver = true;
            if (!swapper.swap(log, cleaned, oldSegments)) {
                cleaned.deleteIfExists();
                return false;
            }
            stats.segmentsWritten++;
            stats.bytesWritten += cleaned.size();
            return true;
        } finally {
            if (!handedOver) {
                cleaned.deleteIfExists();
            }
            // once handed over, the swap owns the files: after a failure part way they may be the only copy
        }
    }

    private static RecordBatch readValid(FileRecords file, int position) throws IOException {
        RecordBatch batch = file.readBatch(position);
        if (batch != null) {
            batch.ensureValid();
        }
        return batch;
    }

    private static void deleteCleanedFiles(Path dir, long base) throws IOException {
        for (String kind : List.of(LogSegment.LOG_SUFFIX, LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX,
            LogSegment.TXN_INDEX_SUFFIX)) {
            Files.deleteIfExists(LogSegment.file(dir, base, kind + LogSegment.CLEANED_SUFFIX));
        }
    }

    /**
     * An I/O error while reading segments is expected when retention or truncation removed them
     * under the pass: then the pass is abandoned. Otherwise it is a real failure.
     */
    private static CleanResult abortIfChanged(LogToClean target, List<SegmentView> needed, IOException e) throws IOException {
        Set<LogSegment> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.addAll(target.log().inactiveSegments());
        for (SegmentView view : needed) {
            if (!live.contains(view.segment())) {
                LOG.info("Cleaning {} aborted: segment {} left the log during the pass ({})", target.log().topicPartition(),
                    view.baseOffset(), e.toString());
                return CleanResult.nothing(target.log().topicPartition(), CleanResult.Outcome.ABORTED, target.firstDirtyOffset());
            }
        }
        throw e;
    }

    /** Appends batches to the cleaned segment through a buffer, so small batches do not cost a write each. */
    private static final class SegmentWriter {
        private final LogSegment segment;
        private ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        private long lastOffset = -1L;

        SegmentWriter(LogSegment segment) {
            this.segment = segment;
        }

        void write(MemoryRecords records, long batchLastOffset) throws IOException {
            if (buffer.remaining() < records.sizeInBytes()) {
                if (buffer.position() > 0 && buffer.capacity() >= WRITE_BUFFER_BYTES) {
                    finish();
                }
                if (buffer.remaining() < records.sizeInBytes()) {
                    ByteBuffer larger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + records.sizeInBytes()));
                    buffer.flip();
                    larger.put(buffer);
                    buffer = larger;
                }
            }
            records.copyTo(buffer);
            lastOffset = batchLastOffset;
        }

        void finish() throws IOException {
            if (buffer.position() > 0) {
                buffer.flip();
                segment.append(lastOffset, MemoryRecords.readableView(buffer));
                buffer.clear();
            }
        }
    }

    /** Counters of one pass. */
    private static final class PassStats {
        long bytesRead;
        long bytesWritten;
        long recordsRemoved;
        long tombstonesRemoved;
        long abortedRecordsRemoved;
        long markersRemoved;
        int segmentsWritten;
        long earliestHorizon = RecordBatch.NO_TIMESTAMP;

        void add(BatchFilter.Filtered filtered) {
            recordsRemoved += filtered.recordsRemoved();
            tombstonesRemoved += filtered.tombstonesRemoved();
            abortedRecordsRemoved += filtered.abortedRecordsRemoved();
            markersRemoved += filtered.markersRemoved();
            long horizon = filtered.tombstoneHorizonMs();
            if (horizon != RecordBatch.NO_TIMESTAMP && (earliestHorizon == RecordBatch.NO_TIMESTAMP || horizon < earliestHorizon)) {
                earliestHorizon = horizon;
            }
        }
    }
}
