package dev.borges.storage.log;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordIterator;
import dev.borges.protocol.record.TimestampType;
import dev.borges.storage.index.AbortedTxn;
import dev.borges.storage.index.OffsetIndex;
import dev.borges.storage.index.OffsetPosition;
import dev.borges.storage.index.TimeIndex;
import dev.borges.storage.index.TimestampOffset;
import dev.borges.storage.index.TransactionIndex;
import dev.borges.storage.index.TxnIndexSearchResult;
import dev.borges.storage.producer.CompletedTxn;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * One segment of a partition log: the batches from {@code baseOffset} on in
 * {@code <base offset, 20 digits>.log}, with its sparse offset index ({@code .index}), time
 * index ({@code .timeindex}) and aborted-transaction index ({@code .txnindex}, only once a
 * transaction whose marker is here was aborted). Only the last segment of a log (the active one) takes appends; the
 * others are immutable until retention deletes them or compaction replaces them.
 *
 * <p>Threading: appends, truncation and recovery run under the log's append lock; reads take
 * slices and may run concurrently from any thread.
 */
public final class LogSegment implements Closeable {
    public static final String LOG_SUFFIX = ".log";
    public static final String INDEX_SUFFIX = ".index";
    public static final String TIME_INDEX_SUFFIX = ".timeindex";
    public static final String TXN_INDEX_SUFFIX = ".txnindex";
    /** Added to a segment's file names once retention dropped it, until the files are removed. */
    public static final String DELETED_SUFFIX = ".deleted";
    /** A segment compaction is still writing; discarded if a crash interrupts it. */
    public static final String CLEANED_SUFFIX = ".cleaned";
    /** A finished compacted segment on its way in; a restart completes the swap. */
    public static final String SWAP_SUFFIX = ".swap";

    private final long baseOffset;
    private final FileRecords log;
    private final OffsetIndex offsetIndex;
    private final TimeIndex timeIndex;
    private final TransactionIndex txnIndex;
    private final int indexIntervalBytes;
    private final int maxIndexBytes;
    private final long rollJitterMs;
    private final long createdMs;

    private int bytesSinceLastIndexEntry;
    /**
     * Largest timestamp in the segment and the offset of its batch's last record; -1 when empty.
     * Loaded on first use ({@link #ensureMaxTimestampLoaded}), since it may take a scan of batch headers.
     */
    private volatile long maxTimestamp = -1L;
    private volatile long offsetOfMaxTimestamp = -1L;
    private volatile boolean maxTimestampLoaded;
    /** Max timestamp of the first batch, which a time-based roll measures from; -1 until one is appended. */
    private volatile long rollingBasedTimestamp = -1L;

    private LogSegment(long baseOffset, FileRecords log, OffsetIndex offsetIndex, TimeIndex timeIndex, TransactionIndex txnIndex,
                       int indexIntervalBytes, int maxIndexBytes, long rollJitterMs, long createdMs) {
        this.baseOffset = baseOffset;
        this.log = log;
        this.offsetIndex = offsetIndex;
        this.timeIndex = timeIndex;
        this.txnIndex = txnIndex;
        this.indexIntervalBytes = indexIntervalBytes;
        this.maxIndexBytes = maxIndexBytes;
        this.rollJitterMs = rollJitterMs;
        this.createdMs = createdMs;
    }

    /**
     * Opens the segment at {@code baseOffset} in {@code dir}, creating its files if absent.
     * {@code suffix} is appended to every file name ("" for a live segment, {@code .cleaned} for one
     * being written by the cleaner).
     */
    public static LogSegment open(Path dir, long baseOffset, int maxIndexBytes, int indexIntervalBytes, long rollJitterMs,
                                  long nowMs, String suffix) throws IOException {
        FileRecords log = FileRecords.open(file(dir, baseOffset, LOG_SUFFIX + suffix));
        OffsetIndex offsetIndex = new OffsetIndex(file(dir, baseOffset, INDEX_SUFFIX + suffix), baseOffset, maxIndexBytes);
        TimeIndex timeIndex = new TimeIndex(file(dir, baseOffset, TIME_INDEX_SUFFIX + suffix), baseOffset, maxIndexBytes);
        TransactionIndex txnIndex = new TransactionIndex(file(dir, baseOffset, TXN_INDEX_SUFFIX + suffix), baseOffset);
        return new LogSegment(baseOffset, log, offsetIndex, timeIndex, txnIndex, indexIntervalBytes, maxIndexBytes, rollJitterMs, nowMs);
    }

    /** {@code dir/<base offset, 20 digits><suffix>}. */
    public static Path file(Path dir, long baseOffset, String suffix) {
        return dir.resolve(String.format("%020d%s", baseOffset, suffix));
    }

    /** The base offset a segment file's name carries. */
    public static long baseOffsetOf(Path file) {
        String name = file.getFileName().toString();
        return Long.parseLong(name.substring(0, name.indexOf('.')));
    }

    public long baseOffset() {
        return baseOffset;
    }

    public FileRecords log() {
        return log;
    }

    public OffsetIndex offsetIndex() {
        return offsetIndex;
    }

    public TimeIndex timeIndex() {
        return timeIndex;
    }

    public TransactionIndex txnIndex() {
        return txnIndex;
    }

    /**
     * Records a transaction a marker in this segment completed: an aborted one goes into the
     * transaction index with the last stable offset after it; a committed one needs no entry.
     */
    public void updateTxnIndex(CompletedTxn completed, long lastStableOffset) throws IOException {
        if (completed.isAborted()) {
            txnIndex.append(new AbortedTxn(completed.producerId(), completed.firstOffset(), completed.lastOffset(), lastStableOffset));
        }
    }

    /** The aborted transactions this segment's index knows overlapping {@code [fetchOffset, upperBoundOffset)}. */
    public TxnIndexSearchResult collectAbortedTxns(long fetchOffset, long upperBoundOffset) throws IOException {
        return txnIndex.collectAbortedTxns(fetchOffset, upperBoundOffset);
    }

    public int size() {
        return log.sizeInBytes();
    }

    public long maxTimestamp() {
        ensureMaxTimestampLoaded();
        return maxTimestamp;
    }

    public long offsetOfMaxTimestamp() {
        ensureMaxTimestampLoaded();
        return offsetOfMaxTimestamp;
    }

    /**
     * The time index's last entry knows the maximum up to its offset; batches after it may hold a
     * larger one, so their headers are read. Done once, on first need, not at open.
     */
    private void ensureMaxTimestampLoaded() {
        if (maxTimestampLoaded) {
            return;
        }
        synchronized (this) {
            if (maxTimestampLoaded) {
                return;
            }
            TimestampOffset last = timeIndex.lastEntry();
            long max = last.timestamp();
            long offsetOfMax = last.timestamp() < 0 ? -1L : last.offset();
            try {
                int position = offsetIndex.lookup(Math.max(last.offset(), baseOffset)).position();
                BatchHeader header;
                while ((header = log.readHeader(position)) != null) {
                    if (header.maxTimestamp() > max) {
                        max = header.maxTimestamp();
                        offsetOfMax = header.lastOffset();
                    }
                    position = header.nextPosition();
                }
            } catch (IOException | CorruptRecordException e) {
                // keep what the index says; recovery deals with a bad file
            }
            maxTimestamp = max;
            offsetOfMaxTimestamp = offsetOfMax;
            maxTimestampLoaded = true;
        }
    }

    /**
     * Appends batches whose offsets are already assigned; {@code largestOffset} is the last offset
     * among them. Index entries are added every {@code index.interval.bytes} at batch starts.
     */
    public void append(long largestOffset, MemoryRecords records) throws IOException {
        append(largestOffset, records, records.batches());
    }

    /**
     * The same, for a caller that already holds the batches of {@code records} (the produce path
     * has them from validation), so their headers are not walked a second time.
     */
    public void append(long largestOffset, MemoryRecords records, Iterable<RecordBatch> batches) throws IOException {
        if (largestOffset - baseOffset > Integer.MAX_VALUE || largestOffset < baseOffset) {
            throw new IllegalArgumentException("Offset " + largestOffset + " cannot go in the segment based at " + baseOffset);
        }
        ensureMaxTimestampLoaded();
        int position = log.sizeInBytes();
        log.append(records);
        for (RecordBatch batch : batches) {
            if (rollingBasedTimestamp < 0) {
                rollingBasedTimestamp = batch.maxTimestamp();
            }
            indexBatch(batch.lastOffset(), batch.maxTimestamp(), position, batch.sizeInBytes());
            position += batch.sizeInBytes();
        }
    }

    private void indexBatch(long lastOffset, long batchMaxTimestamp, int position, int size) {
        if (batchMaxTimestamp > maxTimestamp) {
            maxTimestamp = batchMaxTimestamp;
            offsetOfMaxTimestamp = lastOffset;
        }
        // A full index only makes lookups scan further; it must never fail an append or a recovery.
        if (bytesSinceLastIndexEntry > indexIntervalBytes && !offsetIndex.isFull() && !timeIndex.isFull()) {
            offsetIndex.append(lastOffset, position);
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, false);
            bytesSinceLastIndexEntry = 0;
        }
        bytesSinceLastIndexEntry += size;
    }

    /**
     * The first batch holding {@code offset} or a later one, found from the offset index and a
     * short scan of batch headers; empty if the segment has nothing at or after it.
     */
    public Optional<BatchHeader> translateOffset(long offset) throws IOException {
        int position = offsetIndex.lookup(offset).position();
        BatchHeader header;
        while ((header = log.readHeader(position)) != null) {
            if (header.lastOffset() >= offset) {
                return Optional.of(header);
            }
            position = header.nextPosition();
        }
        return Optional.empty();
    }

    /**
     * Reads from the batch holding {@code startOffset}, at most {@code maxSize} bytes and never past
     * byte {@code maxPosition}; with {@code minOneBatch} the first batch is returned whole even if
     * larger than {@code maxSize}, so a consumer can always make progress. Null if the segment has
     * nothing at or after {@code startOffset}.
     */
    public FetchDataInfo read(long startOffset, int maxSize, int maxPosition, boolean minOneBatch) throws IOException {
        Optional<BatchHeader> first = translateOffset(startOffset);
        if (first.isEmpty()) {
            return null;
        }
        BatchHeader header = first.get();
        LogOffsetMetadata at = new LogOffsetMetadata(startOffset, baseOffset, header.position());
        int limit = minOneBatch ? Math.max(maxSize, header.sizeInBytes()) : maxSize;
        int length = Math.min(maxPosition - header.position(), limit);
        if (length <= 0) {
            return FetchDataInfo.empty(at);
        }
        return new FetchDataInfo(at, log.slice(header.position(), length), limit < header.sizeInBytes());
    }

    /**
     * An offset above every offset in the bytes {@code [startPosition, startPosition + size)}, found
     * from the offset index without reading the log: the last offset of the first indexed batch
     * starting at or after the end of that range; empty if no indexed batch starts there. A
     * {@code read_committed} fetch bounds its aborted-transaction lookup with it.
     */
    public OptionalLong fetchUpperBoundOffset(int startPosition, int size) {
        long end = (long) startPosition + size;
        int low = 0;
        int high = offsetIndex.entries() - 1;
        OptionalLong found = OptionalLong.empty();
        while (low <= high) {
            int mid = (low + high) >>> 1;
            OffsetPosition entry = offsetIndex.entry(mid);
            if (entry.position() >= end) {
                found = OptionalLong.of(entry.offset());
                high = mid - 1;
            } else {
                low = mid + 1;
            }
        }
        return found;
    }

    /** The offset after the last batch: the next offset to assign if this is the active segment. */
    public long readNextOffset() throws IOException {
        int position = offsetIndex.lookup(Long.MAX_VALUE).position();
        long next = baseOffset;
        BatchHeader header;
        while ((header = log.readHeader(position)) != null) {
            next = header.lastOffset() + 1;
            position = header.nextPosition();
        }
        return next;
    }

    /**
     * Checks every batch (size, magic, CRC, offsets increasing), rebuilding the offset and time
     * indexes, and cuts the file after the last valid batch: a torn write, a corrupt batch or zeroed
     * preallocated space ends the segment. Each valid batch is passed to {@code onBatch} (to rebuild
     * producer state). The transaction index only loses entries whose marker was cut off: rebuilding
     * it needs the producer state before the segment, so the log loader resets it and has the
     * producer-state replay fill it again.
     *
     * @return the number of bytes cut off
     */
    public int recover(Consumer<RecordBatch> onBatch) throws IOException {
        // A closed segment's indexes were trimmed to their entries: give the rebuild full room again.
        offsetIndex.reset();
        timeIndex.reset();
        offsetIndex.growTo(maxIndexBytes);
        timeIndex.growTo(maxIndexBytes);
        maxTimestamp = -1L;
        offsetOfMaxTimestamp = -1L;
        maxTimestampLoaded = true;
        rollingBasedTimestamp = -1L;
        bytesSinceLastIndexEntry = 0;
        int position = 0;
        long nextOffset = baseOffset;
        while (true) {
            RecordBatch batch;
            try {
                batch = log.readBatch(position);
            } catch (CorruptRecordException e) {
                break;
            }
            // The CRC does not cover the base offset: an offset that cannot belong here ends the segment too.
            if (batch == null || !batch.isValid() || batch.baseOffset() < nextOffset
                || batch.lastOffset() - baseOffset > Integer.MAX_VALUE) {
                break;
            }
            if (rollingBasedTimestamp < 0) {
                rollingBasedTimestamp = batch.maxTimestamp();
            }
            indexBatch(batch.lastOffset(), batch.maxTimestamp(), position, batch.sizeInBytes());
            onBatch.accept(batch);
            nextOffset = batch.lastOffset() + 1;
            position += batch.sizeInBytes();
        }
        txnIndex.truncateTo(nextOffset); // markers cut off no longer end their transactions
        return log.truncateTo(position);
    }

    /**
     * Removes every batch from the one holding {@code offset} on (truncation happens at batch
     * boundaries). Returns the number of bytes removed.
     */
    public int truncateTo(long offset) throws IOException {
        Optional<BatchHeader> from = translateOffset(offset);
        if (from.isEmpty()) {
            return 0;
        }
        offsetIndex.truncateTo(offset);
        timeIndex.truncateTo(offset);
        txnIndex.truncateTo(offset);
        int removed = log.truncateTo(from.get().position());
        bytesSinceLastIndexEntry = 0;
        if (log.sizeInBytes() == 0) {
            rollingBasedTimestamp = -1L;
        }
        maxTimestampLoaded = false; // recomputed from what is left
        return removed;
    }

    /**
     * The first record at or after {@code timestamp} with an offset of at least {@code startingOffset}:
     * found through the time and offset indexes, then by decoding the records of the one batch that
     * holds it (a CreateTime batch's records carry their own timestamps).
     */
    public Optional<TimestampOffset> findOffsetByTimestamp(long timestamp, long startingOffset) throws IOException {
        TimestampOffset fromTimeIndex = timeIndex.lookup(timestamp);
        OffsetPosition from = offsetIndex.lookup(Math.max(fromTimeIndex.offset(), startingOffset));
        int position = from.position();
        BatchHeader header;
        while ((header = log.readHeader(position)) != null) {
            if (header.maxTimestamp() >= timestamp && header.lastOffset() >= startingOffset) {
                RecordBatch batch = log.readBatch(position);
                boolean logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
                try (RecordIterator records = batch.recordIterator()) {
                    while (records.hasNext()) {
                        Record record = records.next();
                        long recordTimestamp = logAppendTime ? batch.maxTimestamp() : record.timestamp();
                        if (recordTimestamp >= timestamp && record.offset() >= startingOffset) {
                            return Optional.of(new TimestampOffset(recordTimestamp, record.offset()));
                        }
                    }
                }
            }
            position = header.nextPosition();
        }
        return Optional.empty();
    }

    /**
     * The largest timestamp among records at or after {@code startingOffset}: batch headers for
     * whole batches, the records themselves for the batch that straddles it.
     */
    public long maxTimestampFrom(long startingOffset) throws IOException {
        long max = -1L;
        Optional<BatchHeader> first = translateOffset(startingOffset);
        int position = first.map(BatchHeader::position).orElse(log.sizeInBytes());
        BatchHeader header;
        while ((header = log.readHeader(position)) != null) {
            if (header.baseOffset() >= startingOffset) {
                max = Math.max(max, header.maxTimestamp());
            } else {
                RecordBatch batch = log.readBatch(position);
                boolean logAppendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME;
                try (RecordIterator records = batch.recordIterator()) {
                    while (records.hasNext()) {
                        Record record = records.next();
                        if (record.offset() >= startingOffset) {
                            max = Math.max(max, logAppendTime ? batch.maxTimestamp() : record.timestamp());
                        }
                    }
                }
            }
            position = header.nextPosition();
        }
        return max;
    }

    /** Whether the segment should close before {@code incomingBytes} more arrive at {@code nowMs}. */
    public boolean shouldRoll(int segmentBytes, long segmentMs, int incomingBytes, long largestIncomingOffset, long nowMs) {
        boolean full = log.sizeInBytes() > segmentBytes - incomingBytes;
        long reference = rollingBasedTimestamp >= 0 ? Math.min(rollingBasedTimestamp, nowMs) : createdMs;
        boolean old = log.sizeInBytes() > 0 && nowMs - reference > segmentMs - rollJitterMs;
        boolean offsetsOverflow = largestIncomingOffset - baseOffset > Integer.MAX_VALUE;
        return full || old || offsetIndex.isFull() || timeIndex.isFull() || offsetsOverflow;
    }

    /** The segment stopped being the active one: record its final max timestamp and trim the indexes. */
    public void onBecomeInactive() throws IOException {
        ensureMaxTimestampLoaded();
        if (maxTimestamp >= 0) {
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
        }
        offsetIndex.trimToValidSize();
        timeIndex.trimToValidSize();
    }

    /** The segment became the active one again (after truncation or on open): give its indexes room. */
    public void onBecomeActive(int maxIndexBytes) throws IOException {
        offsetIndex.growTo(maxIndexBytes);
        timeIndex.growTo(maxIndexBytes);
    }

    public void flush() throws IOException {
        log.flush();
        offsetIndex.flush();
        timeIndex.flush();
        txnIndex.flush();
    }

    /**
     * Renames every file from {@code oldSuffix} to {@code newSuffix} (".deleted", ".cleaned", ".swap").
     * The log file's name is what a restart goes by ({@link LogLoader}), so its rename is ordered:
     * into or out of {@code .swap} it comes last (a {@code .log.swap} then means the segment's index
     * files were all renamed before it), otherwise first (a segment whose log file is gone is gone).
     */
    public void changeFileSuffixes(String oldSuffix, String newSuffix) throws IOException {
        boolean logLast = SWAP_SUFFIX.equals(oldSuffix) || SWAP_SUFFIX.equals(newSuffix);
        if (!logLast) {
            log.renameTo(swapSuffix(log.file(), oldSuffix, newSuffix));
        }
        offsetIndex.renameTo(swapSuffix(offsetIndex.file(), oldSuffix, newSuffix));
        timeIndex.renameTo(swapSuffix(timeIndex.file(), oldSuffix, newSuffix));
        txnIndex.renameTo(swapSuffix(txnIndex.file(), oldSuffix, newSuffix));
        if (logLast) {
            log.renameTo(swapSuffix(log.file(), oldSuffix, newSuffix));
        }
    }

    public long lastModifiedMs() throws IOException {
        return Files.getLastModifiedTime(log.file()).toMillis();
    }

    @Override
    public void close() throws IOException {
        if (maxTimestampLoaded && maxTimestamp >= 0 && timeIndex.maxEntries() > 0) {
            // so a reopened segment knows its maximum timestamp from the index
            timeIndex.maybeAppend(maxTimestamp, offsetOfMaxTimestamp, true);
        }
        try {
            offsetIndex.close();
            timeIndex.close();
            txnIndex.close();
        } finally {
            log.close();
        }
    }

    /** Closes and removes the segment's files. */
    public void deleteIfExists() throws IOException {
        close();
        log.deleteIfExists();
        offsetIndex.deleteIfExists();
        timeIndex.deleteIfExists();
        txnIndex.deleteIfExists();
    }

    @Override
    public String toString() {
        return "LogSegment(baseOffset=" + baseOffset + ", size=" + size() + ")";
    }

    private static Path swapSuffix(Path file, String oldSuffix, String newSuffix) {
        String name = file.getFileName().toString();
        if (!name.endsWith(oldSuffix)) {
            throw new IllegalArgumentException(file + " does not end with " + oldSuffix);
        }
        return file.resolveSibling(name.substring(0, name.length() - oldSuffix.length()) + newSuffix);
    }
}
