package dev.borges.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.Errors;
import dev.borges.protocol.compress.CompressionType;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.EndTransactionMarker;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.MockTime;
import dev.borges.storage.StorageException;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.index.AbortedTxn;
import dev.borges.storage.producer.ProducerStateConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of operations on a partition log, applied both to the log and to a model: the
 * list of batches appended (offsets, timestamps, keys, values, sizes) and three offsets. The model
 * knows nothing of files; where an operation depends on the segment layout (retention, how far one
 * read goes) the model takes the layout the log reports and predicts from its own batches. After
 * every step these invariants must hold:
 * <ul>
 *   <li>Offsets — log start, high watermark and log end are the model's, and
 *       {@code logStart <= HW <= logEnd}; the recovery point is at most the log end;</li>
 *   <li>Layout — segments hold exactly the model's batches from the first segment's base on, byte
 *       sizes add up, no closed segment is empty or over {@code segment.bytes};</li>
 *   <li>ReadsEverything — reading batch after batch from the log start returns the model's batches,
 *       from the one holding the log start, with their records in order and offsets strictly
 *       increasing; with HIGH_WATERMARK isolation, exactly those that end below the HW;</li>
 *   <li>ReadsFromAnyOffset — a read from any offset starts at the batch holding it and returns as
 *       many whole batches as fit in its bytes and in that segment (a read op checks random
 *       offsets, byte limits, isolation and minOneBatch; the invariant checks a few offsets);</li>
 *   <li>OutOfRange — reading below the log start or above the log end is OFFSET_OUT_OF_RANGE,
 *       reading at the log end returns nothing;</li>
 *   <li>Timestamps — ListOffsets for a timestamp finds the first readable record at or after it;
 *       EARLIEST and LATEST are the log start and end;</li>
 *   <li>StableOffset — with three transactional producers writing among the plain batches and
 *       their transactions committed or aborted at random, the last stable offset never passes the
 *       first open transaction (from the log start) nor the high watermark, and is held back at most
 *       by transactions whose marker is not yet below the high watermark;</li>
 *   <li>AbortedIndex — the aborted transactions the log finds from the log start are exactly the
 *       model's (first offset, marker offset and last stable offset after the marker), whatever
 *       truncation, retention and reopening happened;</li>
 *   <li>ReadCommitted — a TXN_COMMITTED read returns the batches ending below the last stable
 *       offset and names every aborted transaction overlapping what it returned.</li>
 * </ul>
 * Retention is checked against the rules applied to the model's batches per reported segment:
 * {@code retention.bytes}, {@code retention.ms} against the newest record timestamp, never at or
 * above the high watermark, never the active segment. Clean and crash reopens (a byte-wise copy of
 * the directory, no corruption) must change nothing.
 *
 * <p>A failure prints jqwik's seed; {@code @Property(seed = "...")} replays it.
 */
class PartitionLogPropertyTest {
    static final long NOW = 1_700_000_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final long DAY = 24 * HOUR;
    private static final CompressionType[] CODECS = CompressionType.values();

    /** Topic settings for one run: small segments and indexes so that rolls and index-full rolls happen. */
    record Settings(int segmentBytes, int indexIntervalBytes, int segmentIndexBytes) {
        Map<String, String> config() {
            return Map.of(
                LogConfig.SEGMENT_BYTES, Integer.toString(segmentBytes),
                LogConfig.INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes),
                LogConfig.SEGMENT_INDEX_BYTES, Integer.toString(segmentIndexBytes),
                LogConfig.RETENTION_MS, "-1",
                LogConfig.RETENTION_BYTES, "-1");
        }
    }

    sealed interface Step permits Append, Read, Roll, TruncateTo, TruncateFully, AdvanceLogStart, RetainBytes, RetainTime, Tick,
        UpdateHighWatermark, CleanReopen, CrashReopen, LookUpTimestamp, TxnAppend, EndTxn {
    }

    /** Producer ids of the transactional producers. */
    private static final long[] TXN_PRODUCERS = {1001L, 1002L, 1003L};

    /** A transactional batch from producer {@code producer} (an index into TXN_PRODUCERS). */
    record TxnAppend(int producer, List<RecordSpec> records, int codec) implements Step {
    }

    /** The coordinator's COMMIT or ABORT marker for producer {@code producer}, whether it has a transaction open or not. */
    record EndTxn(int producer, boolean commit) implements Step {
    }

    enum Kind { PLAIN, DATA, COMMIT, ABORT }

    /** A record to append: key size (-1 for none), value size, timestamp relative to now. */
    record RecordSpec(int keySize, int valueSize, long timestampDelta) {
    }

    /** One batch, or two in one append when {@code twoBatches}; codec index 0 is none. */
    record Append(List<RecordSpec> records, int codec, boolean twoBatches) implements Step {
    }

    /** {@code at} in [0, 1] places the offset in [log start - 2, log end + 2]. */
    record Read(double at, int maxBytes, boolean highWatermark, boolean minOneBatch) implements Step {
    }

    record Roll() implements Step {
    }

    /** {@code at} picks one of the batch boundaries (or the log end). */
    record TruncateTo(double at) implements Step {
    }

    /** Empties the log and starts it again at the log end plus {@code delta} (a follower far behind or ahead). */
    record TruncateFully(int delta) implements Step {
    }

    /** {@code at} in [0, 1.2] places the offset from the log start to past the high watermark. */
    record AdvanceLogStart(double at) implements Step {
    }

    record RetainBytes(int retentionBytes) implements Step {
    }

    record RetainTime(long retentionMs) implements Step {
    }

    record Tick(long ms) implements Step {
    }

    /** {@code at} in [-0.1, 1.1] places the offset around [log start, log end]. */
    record UpdateHighWatermark(double at) implements Step {
    }

    record CleanReopen() implements Step {
    }

    record CrashReopen() implements Step {
    }

    record LookUpTimestamp(double at) implements Step {
    }

    @Provide
    Arbitrary<Settings> settings() {
        return Combinators.combine(
                Arbitraries.of(300, 700, 1500, 4000),
                Arbitraries.of(0, 64, 4096),
                Arbitraries.of(96, 240, 4096))
            .as(Settings::new);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<RecordSpec> record = Combinators.combine(
                Arbitraries.integers().between(-1, 12),
                Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.integers().between(0, 40)), Tuple.of(1, Arbitraries.integers().between(40, 300))),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(-1000, 1000)),
                    Tuple.of(1, Arbitraries.longs().between(-10 * DAY, HOUR / 2))))
            .as(RecordSpec::new);
        Arbitrary<Step> append = Combinators.combine(
                record.list().ofMinSize(1).ofMaxSize(5),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, CODECS.length - 1))),
                Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
            .as(Append::new);
        Arbitrary<Step> read = Combinators.combine(
                Arbitraries.doubles().between(0, 1),
                Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, 100)), Tuple.of(3, Arbitraries.integers().between(0, 3000))),
                Arbitraries.of(true, false),
                Arbitraries.of(true, false))
            .as(Read::new);
        Arbitrary<Step> txnAppend = Combinators.combine(
                Arbitraries.integers().between(0, TXN_PRODUCERS.length - 1),
                record.list().ofMinSize(1).ofMaxSize(3),
                Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.just(0)), Tuple.of(1, Arbitraries.integers().between(1, CODECS.length - 1))))
            .as(TxnAppend::new);
        Arbitrary<Step> endTxn = Combinators.combine(Arbitraries.integers().between(0, TXN_PRODUCERS.length - 1), Arbitraries.of(true, false))
            .as(EndTxn::new);
        return Arbitraries.frequencyOf(
                Tuple.of(12, append),
                Tuple.of(5, txnAppend),
                Tuple.of(3, endTxn),
                Tuple.of(3, read),
                Tuple.of(1, Arbitraries.just(new Roll())),
                Tuple.of(2, Arbitraries.doubles().between(0, 1).map(TruncateTo::new)),
                Tuple.of(1, Arbitraries.integers().between(-20, 1000).map(TruncateFully::new)),
                Tuple.of(2, Arbitraries.doubles().between(0, 1.2).map(AdvanceLogStart::new)),
                Tuple.of(1, Arbitraries.integers().between(0, 3000).map(RetainBytes::new)),
                Tuple.of(1, Arbitraries.longs().between(0, 12 * DAY).map(RetainTime::new)),
                Tuple.of(2, Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(0, 10_000)),
                    Tuple.of(1, Arbitraries.longs().between(0, 3 * DAY))).map(Tick::new)),
                Tuple.of(4, Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(1.0)), Tuple.of(1, Arbitraries.doubles().between(-0.1, 1.1)))
                    .map(UpdateHighWatermark::new)),
                Tuple.of(1, Arbitraries.just(new CleanReopen())),
                Tuple.of(1, Arbitraries.just(new CrashReopen())),
                Tuple.of(2, Arbitraries.doubles().between(0, 1).map(LookUpTimestamp::new)))
            .list().ofMinSize(15).ofMaxSize(80).withSizeDistribution(RandomDistribution.uniform());
    }

    @Property(tries = 400)
    void logAgreesWithModel(@ForAll("settings") Settings settings, @ForAll("steps") List<Step> steps) throws IOException {
        run(settings, steps);
    }

    static void run(Settings settings, List<Step> steps) throws IOException {
        Path scratch = CrashCopies.scratchDirectory(Path.of(System.getProperty("java.io.tmpdir")).resolve("borges-property-" + System.nanoTime()));
        try (Run run = new Run(scratch, settings)) {
            run.checkInvariants("the new log");
            int n = 0;
            int maxSegments = 1;
            for (Step step : steps) {
                run.apply(step);
                run.checkInvariants("after step " + n++ + " " + step);
                maxSegments = Math.max(maxSegments, run.log.numberOfSegments());
            }
            // coverage, printed by jqwik: most runs should reach several segments and some delete by retention
            Statistics.label("most segments").collect(maxSegments < 3 ? "1-2" : maxSegments < 6 ? "3-5" : "6+");
            Statistics.label("retention deleted segments").collect(run.retentionDeleted > 0);
            Statistics.label("most open transactions").collect(run.mostOpenTransactions);
            Statistics.label("aborted transactions indexed").collect(run.mostAborted == 0 ? "0" : run.mostAborted < 3 ? "1-2" : "3+");
        } finally {
            TestBatches.delete(scratch);
        }
    }

    // ---- the model ------------------------------------------------------------------------------

    record ModelRecord(long offset, long timestamp, byte[] key, byte[] value) {
        String describe() {
            return offset + "@" + timestamp + ":" + (key == null ? "null" : HexFormat.of().formatHex(key)) + "=" + HexFormat.of().formatHex(value);
        }
    }

    /**
     * @param producerId -1 for a plain batch
     * @param lastSequence the producer's sequence of the last record of a DATA batch
     */
    record ModelBatch(long baseOffset, List<ModelRecord> records, int sizeInBytes, Kind kind, long producerId, int lastSequence) {
        ModelBatch(long baseOffset, List<ModelRecord> records, int sizeInBytes) {
            this(baseOffset, records, sizeInBytes, Kind.PLAIN, -1L, -1);
        }

        long lastOffset() {
            return baseOffset + records.size() - 1;
        }

        long maxTimestamp() {
            return records.stream().mapToLong(ModelRecord::timestamp).max().orElseThrow();
        }

        String describe() {
            return baseOffset + "-" + lastOffset() + " " + records.stream().map(ModelRecord::describe).toList();
        }
    }

    /** One run: the log, its clock and directory, and the model it must agree with. */
    static final class Run implements AutoCloseable {
        private final Path scratch;
        private final Settings settings;
        private final MockTime time = new MockTime(NOW);
        private final List<ModelBatch> batches = new ArrayList<>();
        private PartitionLog log;
        private Path dir;
        private int dirs;
        private int appends;
        private long logStart;
        private long logEnd;
        private long highWatermark;
        private int retentionDeleted;
        private int mostOpenTransactions;
        private int mostAborted;

        Run(Path scratch, Settings settings) {
            this.scratch = scratch;
            this.settings = settings;
            this.dir = newDir();
            this.log = open(LogStartState.NEW);
        }

        /**
         * Producers never expire here: expiry is ProducerExpiryTest's subject, and a producer whose state
         * expired may not continue its sequence after a marker (as in Kafka), which the model does not follow.
         */
        private PartitionLog open(LogStartState start) {
            return PartitionLog.open(dir, LogConfig.of(settings.config()), start, time, PartitionLog::deleteNow,
                new ProducerStateConfig(1000L * DAY), Runnable::run);
        }

        private Path newDir() {
            return scratch.resolve("run-" + dirs++).resolve("orders-0");
        }

        void apply(Step step) {
            if (step instanceof Append append) {
                append(append);
            } else if (step instanceof Read read) {
                read(read);
            } else if (step instanceof Roll) {
                log.roll();
                assertThat(log.activeSegmentBaseOffset()).as("the new active segment starts at the log end").isEqualTo(logEnd);
            } else if (step instanceof TruncateTo truncate) {
                truncate(truncate);
            } else if (step instanceof TruncateFully truncate) {
                long offset = Math.max(0, logEnd + truncate.delta());
                log.truncateFullyAndStartAt(offset);
                batches.clear();
                logStart = offset;
                logEnd = offset;
                highWatermark = offset;
                assertThat(log.numberOfSegments()).isEqualTo(1);
                assertThat(log.recoveryPoint()).isEqualTo(offset);
            } else if (step instanceof AdvanceLogStart advance) {
                advanceLogStart(advance);
            } else if (step instanceof RetainBytes retain) {
                retain(Map.of(LogConfig.RETENTION_BYTES, Integer.toString(retain.retentionBytes())));
            } else if (step instanceof RetainTime retain) {
                retain(Map.of(LogConfig.RETENTION_MS, Long.toString(retain.retentionMs())));
            } else if (step instanceof Tick tick) {
                time.sleep(tick.ms());
            } else if (step instanceof UpdateHighWatermark update) {
                long target = logStart + Math.round(update.at() * (logEnd - logStart));
                if (update.at() < 0) {
                    target = logStart - 1;
                } else if (update.at() > 1) {
                    target = logEnd + 1;
                }
                log.updateHighWatermark(target);
                highWatermark = Math.min(Math.max(target, logStart), logEnd);
            } else if (step instanceof CleanReopen) {
                log.close();
                log = null;
                log = open(new LogStartState(true, logEnd, logStart, highWatermark));
                assertThat(log.recoveryPoint()).isEqualTo(logEnd);
            } else if (step instanceof CrashReopen) {
                long recoveryPoint = log.recoveryPoint();
                Path copy = CrashCopies.copy(dir, newDir());
                log.close();
                log = null;
                TestBatches.delete(dir.getParent());
                dir = copy;
                log = open(new LogStartState(false, recoveryPoint, logStart, highWatermark));
                assertThat(log.recoveryPoint()).isEqualTo(Math.min(recoveryPoint, logEnd));
            } else if (step instanceof LookUpTimestamp lookUp) {
                checkTimestampLookup(lookUp.at());
            } else if (step instanceof TxnAppend txn) {
                appendTransactional(txn);
            } else if (step instanceof EndTxn end) {
                endTransaction(end);
            } else {
                throw new IllegalArgumentException("Unknown step " + step);
            }
        }

        private void append(Append append) {
            boolean two = append.twoBatches() && append.records().size() >= 2;
            List<List<RecordSpec>> parts = two
                ? List.of(append.records().subList(0, 1), append.records().subList(1, append.records().size()))
                : List.of(append.records());
            List<MemoryRecords> built = new ArrayList<>();
            List<List<ModelRecord>> records = new ArrayList<>();
            int size = 0;
            long next = logEnd;
            for (List<RecordSpec> part : parts) {
                RecordBatchBuilder builder = new RecordBatchBuilder(0L).compression(CODECS[append.codec()]);
                List<ModelRecord> modelRecords = new ArrayList<>();
                for (RecordSpec spec : part) {
                    byte[] key = spec.keySize() < 0 ? null : pattern(spec.keySize(), appends * 7 + modelRecords.size());
                    byte[] value = pattern(spec.valueSize(), appends * 13 + modelRecords.size() + 1);
                    long timestamp = time.milliseconds() + spec.timestampDelta();
                    builder.append(timestamp, key, value);
                    modelRecords.add(new ModelRecord(next++, timestamp, key, value));
                }
                MemoryRecords batch = builder.build();
                size += batch.sizeInBytes();
                built.add(batch);
                records.add(modelRecords);
            }
            appends++;
            ByteBuffer all = ByteBuffer.allocate(size);
            built.forEach(b -> b.copyTo(all));
            MemoryRecords produced = MemoryRecords.readableView(all.flip());
            if (size > settings.segmentBytes()) {
                assertThatThrownBy(() -> log.appendAsLeader(produced, 0))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.RECORD_LIST_TOO_LARGE));
                return;
            }
            LogAppendInfo info = log.appendAsLeader(produced, 0);
            assertThat(info.firstOffset()).as("first offset").isEqualTo(logEnd);
            assertThat(info.lastOffset()).as("last offset").isEqualTo(next - 1);
            assertThat(info.recordCount()).isEqualTo((int) (next - logEnd));
            for (int i = 0; i < built.size(); i++) {
                batches.add(new ModelBatch(records.get(i).get(0).offset(), records.get(i), built.get(i).sizeInBytes()));
            }
            logEnd = next;
        }

        /** A transactional batch with the producer's next sequence (after its last batch the model still has). */
        private void appendTransactional(TxnAppend txn) {
            long producerId = TXN_PRODUCERS[txn.producer()];
            int sequence = 0;
            for (ModelBatch batch : batches) {
                if (batch.kind() == Kind.DATA && batch.producerId() == producerId) {
                    sequence = batch.lastSequence() + 1;
                }
            }
            RecordBatchBuilder builder = new RecordBatchBuilder(0L).compression(CODECS[txn.codec()]).producer(producerId, (short) 0, sequence)
                .transactional(true);
            List<ModelRecord> records = new ArrayList<>();
            long next = logEnd;
            for (RecordSpec spec : txn.records()) {
                byte[] key = spec.keySize() < 0 ? null : pattern(spec.keySize(), appends * 7 + records.size());
                byte[] value = pattern(spec.valueSize(), appends * 13 + records.size() + 1);
                long timestamp = time.milliseconds() + spec.timestampDelta();
                builder.append(timestamp, key, value);
                records.add(new ModelRecord(next++, timestamp, key, value));
            }
            appends++;
            MemoryRecords batch = builder.build();
            if (batch.sizeInBytes() > settings.segmentBytes()) {
                assertThatThrownBy(() -> log.appendAsLeader(batch, 0))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.RECORD_LIST_TOO_LARGE));
                return;
            }
            LogAppendInfo info = log.appendAsLeader(batch, 0);
            assertThat(info.firstOffset()).as("first offset").isEqualTo(logEnd);
            batches.add(new ModelBatch(logEnd, records, batch.sizeInBytes(), Kind.DATA, producerId, sequence + records.size() - 1));
            logEnd = next;
        }

        private void endTransaction(EndTxn end) {
            long producerId = TXN_PRODUCERS[end.producer()];
            ControlRecordType type = end.commit() ? ControlRecordType.COMMIT : ControlRecordType.ABORT;
            long timestamp = time.milliseconds();
            EndTransactionMarker marker = new EndTransactionMarker(type, 0);
            LogAppendInfo info = log.appendTxnMarker(producerId, (short) 0, 0, type, 0);
            assertThat(info.firstOffset()).as("marker offset").isEqualTo(logEnd);
            int size = marker.toBatch(0L, timestamp, producerId, (short) 0, 0).sizeInBytes();
            batches.add(new ModelBatch(logEnd, List.of(new ModelRecord(logEnd, timestamp, type.key(), marker.value())), size,
                end.commit() ? Kind.COMMIT : Kind.ABORT, producerId, -1));
            logEnd++;
        }

        /** The model's transactions: replaying every batch it holds, as the log's producer state does. */
        private TxnModel transactions() {
            Map<Long, Long> open = new java.util.LinkedHashMap<>();
            List<AbortedTxn> aborted = new ArrayList<>();
            List<long[]> completed = new ArrayList<>();
            for (ModelBatch batch : batches) {
                if (batch.kind() == Kind.DATA) {
                    open.putIfAbsent(batch.producerId(), batch.baseOffset());
                } else if (batch.kind() == Kind.COMMIT || batch.kind() == Kind.ABORT) {
                    Long first = open.remove(batch.producerId());
                    if (first != null) {
                        completed.add(new long[] {first, batch.baseOffset()});
                        if (batch.kind() == Kind.ABORT) {
                            long stable = open.values().stream().mapToLong(Long::longValue).min().orElse(batch.baseOffset() + 1);
                            aborted.add(new AbortedTxn(batch.producerId(), first, batch.baseOffset(), stable));
                        }
                    }
                }
            }
            return new TxnModel(open, aborted, completed);
        }

        private void truncate(TruncateTo truncate) {
            List<Long> boundaries = new ArrayList<>();
            long firstSegment = segmentBases().get(0);
            for (ModelBatch batch : batches) {
                if (batch.baseOffset() >= firstSegment) { // also below the log start, which then moves down to the target
                    boundaries.add(batch.baseOffset());
                }
            }
            boundaries.add(logEnd);
            long target = boundaries.get((int) Math.min(boundaries.size() - 1, Math.floor(truncate.at() * boundaries.size())));
            boolean changes = target < logEnd;
            log.truncateTo(target);
            if (!changes) {
                return;
            }
            batches.removeIf(b -> b.baseOffset() >= target);
            logEnd = target;
            logStart = Math.min(logStart, target);
            highWatermark = Math.min(highWatermark, target);
        }

        private void advanceLogStart(AdvanceLogStart advance) {
            long target = logStart + Math.round(advance.at() * (highWatermark - logStart));
            if (advance.at() > 1) {
                target = highWatermark + 1 + Math.round((advance.at() - 1) * 10);
            }
            long requested = target;
            if (requested > highWatermark) {
                assertThatThrownBy(() -> log.advanceLogStartOffset(requested))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE));
                return;
            }
            log.advanceLogStartOffset(requested);
            if (requested <= logStart) {
                return; // nothing moves, nothing is deleted
            }
            logStart = requested;
            List<Long> bases = segmentBases();
            for (int i = 0; i + 1 < bases.size(); i++) {
                assertThat(bases.get(i + 1)).as("no closed segment entirely below the new log start remains").isGreaterThan(logStart);
            }
        }

        /** Runs retention with {@code overrides} and checks it deleted the segments the rules name, judged on the model's batches. */
        private void retain(Map<String, String> overrides) {
            LogConfig config = LogConfig.of(settings.config()).with(overrides);
            List<Long> bases = segmentBases();
            int closed = bases.size() - 1;
            long total = 0;
            long[] sizes = new long[bases.size()];
            long[] newest = new long[bases.size()];
            for (int i = 0; i < bases.size(); i++) {
                List<ModelBatch> in = batchesIn(bases, i);
                sizes[i] = in.stream().mapToLong(ModelBatch::sizeInBytes).sum();
                newest[i] = in.stream().mapToLong(ModelBatch::maxTimestamp).max().orElse(-1);
                total += sizes[i];
            }
            long now = time.milliseconds();
            int expected = 0;
            while (expected < closed && bases.get(expected + 1) <= logStart) {
                expected++;
            }
            if (config.retentionMs() >= 0) {
                while (expected < closed && bases.get(expected + 1) <= highWatermark && now - newest[expected] > config.retentionMs()) {
                    expected++;
                }
            }
            if (config.retentionBytes() >= 0) {
                long excess = total - config.retentionBytes();
                for (int i = 0; i < expected; i++) {
                    excess -= sizes[i];
                }
                while (expected < closed && bases.get(expected + 1) <= highWatermark && excess >= sizes[expected]) {
                    excess -= sizes[expected];
                    expected++;
                }
            }
            log.updateConfig(config);
            int deleted = log.deleteOldSegments();
            retentionDeleted += deleted;
            log.updateConfig(LogConfig.of(settings.config()));
            assertThat(deleted).as("segments deleted by retention " + overrides + " from " + bases + " at HW " + highWatermark).isEqualTo(expected);
            assertThat(segmentBases()).isEqualTo(bases.subList(expected, bases.size()));
            logStart = Math.max(logStart, bases.get(expected));
        }

        private void read(Read read) {
            long offset = logStart - 2 + Math.round(read.at() * (logEnd - logStart + 4));
            FetchIsolation isolation = read.highWatermark() ? FetchIsolation.HIGH_WATERMARK : FetchIsolation.LOG_END;
            checkRead(offset, read.maxBytes(), isolation, read.minOneBatch());
        }

        // ---- invariants ---------------------------------------------------------------------------

        void checkInvariants(String context) {
            try {
                assertThat(log.logStartOffset()).as("log start").isEqualTo(logStart);
                assertThat(log.logEndOffset()).as("log end").isEqualTo(logEnd);
                assertThat(log.highWatermark()).as("high watermark").isEqualTo(highWatermark);
                assertThat(logStart).isLessThanOrEqualTo(highWatermark);
                assertThat(highWatermark).isLessThanOrEqualTo(logEnd);
                assertThat(log.recoveryPoint()).as("recovery point").isLessThanOrEqualTo(logEnd);
                checkLayout();
                checkReadsEverything(FetchIsolation.LOG_END, logEnd);
                checkReadsEverything(FetchIsolation.HIGH_WATERMARK, highWatermark);
                checkTransactions();
                checkReadsEverything(FetchIsolation.TXN_COMMITTED, log.lastStableOffset());
                if (logEnd > logStart) {
                    for (long offset : List.of(logStart, logEnd - 1, (logStart + logEnd) / 2)) {
                        checkRead(offset, 700, FetchIsolation.LOG_END, false);
                        checkRead(offset, 1, FetchIsolation.HIGH_WATERMARK, true);
                        checkRead(offset, 400, FetchIsolation.TXN_COMMITTED, true);
                    }
                }
                checkRead(logStart - 1, 1000, FetchIsolation.LOG_END, true);
                checkRead(logEnd, 1000, FetchIsolation.LOG_END, true);
                checkRead(logEnd + 1, 1000, FetchIsolation.LOG_END, true);
                assertThat(log.offsetForTimestamp(TimestampLookup.EARLIEST_TIMESTAMP).map(TimestampLookup::offset)).contains(logStart);
                assertThat(log.offsetForTimestamp(TimestampLookup.LATEST_TIMESTAMP).map(TimestampLookup::offset)).contains(logEnd);
            } catch (AssertionError e) {
                throw new AssertionError(context + " with " + settings + ": " + e.getMessage() + "\nmodel: log start " + logStart + ", HW "
                    + highWatermark + ", log end " + logEnd + ", segments " + segmentBases() + "\n" + describeModel(), e);
            }
        }

        private String describeModel() {
            StringBuilder out = new StringBuilder();
            batches.forEach(b -> out.append("  ").append(b.baseOffset()).append("-").append(b.lastOffset()).append(" (").append(b.sizeInBytes())
                .append(" bytes, max ts ").append(b.maxTimestamp() - NOW).append(")\n"));
            return out.toString();
        }

        /** Base offsets of the segments, oldest first, the active one last. */
        private List<Long> segmentBases() {
            List<Long> bases = new ArrayList<>(log.inactiveSegments().stream().map(LogSegment::baseOffset).toList());
            bases.add(log.activeSegmentBaseOffset());
            return bases;
        }

        private List<ModelBatch> batchesIn(List<Long> bases, int segment) {
            long from = bases.get(segment);
            long to = segment + 1 < bases.size() ? bases.get(segment + 1) : Long.MAX_VALUE;
            return batches.stream().filter(b -> b.baseOffset() >= from && b.baseOffset() < to).toList();
        }

        private void checkLayout() {
            List<Long> bases = segmentBases();
            List<LogSegment> closed = log.inactiveSegments();
            assertThat(bases).as("segment bases increase").isSorted().doesNotHaveDuplicates();
            assertThat(bases.get(0)).as("first segment base").isLessThanOrEqualTo(logStart);
            long onDisk = 0;
            for (int i = 0; i < bases.size(); i++) {
                List<ModelBatch> in = batchesIn(bases, i);
                long size = in.stream().mapToLong(ModelBatch::sizeInBytes).sum();
                onDisk += size;
                if (i < closed.size()) {
                    assertThat(closed.get(i).size()).as("size of closed segment " + bases.get(i)).isEqualTo(size);
                    assertThat(in).as("closed segment " + bases.get(i) + " is not empty").isNotEmpty();
                    assertThat(size).as("closed segment " + bases.get(i) + " within segment.bytes").isLessThanOrEqualTo(settings.segmentBytes());
                    assertThat(in.get(in.size() - 1).lastOffset() + 1).as("closed segment " + bases.get(i) + " ends where the next starts")
                        .isEqualTo(bases.get(i + 1));
                }
                if (!in.isEmpty()) {
                    assertThat(in.get(0).baseOffset()).as("segment " + bases.get(i) + " starts with a batch").isEqualTo(bases.get(i));
                }
            }
            assertThat(log.size()).as("bytes on disk").isEqualTo(onDisk);
        }

        /** Reads batch after batch from the log start and compares with the model; for the HW, only batches ending below it. */
        private void checkReadsEverything(FetchIsolation isolation, long bound) {
            List<String> expected = new ArrayList<>();
            for (ModelBatch batch : batches) {
                if (batch.lastOffset() >= logStart && (isolation == FetchIsolation.LOG_END || batch.lastOffset() < bound)) {
                    expected.add(batch.describe());
                }
            }
            List<String> actual = new ArrayList<>();
            long next = logStart;
            while (next < bound) {
                FetchDataInfo info = log.read(next, 1, isolation, true);
                List<RecordBatch> read = batches(info);
                if (read.isEmpty()) {
                    break;
                }
                assertThat(read).as("minOneBatch with 1 byte: exactly one batch").hasSize(1);
                actual.add(describe(read.get(0)));
                assertThat(read.get(0).lastOffset()).as("offsets increase").isGreaterThanOrEqualTo(next);
                next = read.get(0).lastOffset() + 1;
            }
            assertThat(actual).as("everything read with " + isolation).containsExactlyElementsOf(expected);
        }

        /** One read, checked against the model: range, first batch, how many whole batches, bytes. */
        private void checkRead(long offset, int maxBytes, FetchIsolation isolation, boolean minOneBatch) {
            String what = "read(" + offset + ", " + maxBytes + ", " + isolation + ", minOneBatch=" + minOneBatch + ")";
            if (offset < logStart || offset > logEnd) {
                assertThatThrownBy(() -> log.read(offset, maxBytes, isolation, minOneBatch)).as(what)
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.error()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE));
                return;
            }
            FetchDataInfo info = log.read(offset, maxBytes, isolation, minOneBatch);
            long bound = switch (isolation) {
                case LOG_END -> logEnd;
                case HIGH_WATERMARK -> highWatermark;
                case TXN_COMMITTED -> log.lastStableOffset();
            };
            List<Long> bases = segmentBases();
            List<ModelBatch> candidates = new ArrayList<>();
            Long segment = null;
            for (ModelBatch batch : batches) {
                if (batch.lastOffset() < offset) {
                    continue;
                }
                if (isolation != FetchIsolation.LOG_END && batch.lastOffset() >= bound) {
                    break;
                }
                long batchSegment = floor(bases, batch.baseOffset());
                if (segment == null) {
                    segment = batchSegment;
                } else if (batchSegment != segment) {
                    break; // a read stays in one segment
                }
                candidates.add(batch);
            }
            assertThat(info.abortedTransactions().isPresent()).as(what + ": aborted transactions named").isEqualTo(
                isolation == FetchIsolation.TXN_COMMITTED);
            if (offset >= bound || candidates.isEmpty()) {
                assertThat(info.records().sizeInBytes()).as(what + ": nothing to read").isZero();
                return;
            }
            int limit = minOneBatch ? Math.max(maxBytes, candidates.get(0).sizeInBytes()) : maxBytes;
            int available = candidates.stream().mapToInt(ModelBatch::sizeInBytes).sum();
            int whole = 0;
            int used = 0;
            while (whole < candidates.size() && used + candidates.get(whole).sizeInBytes() <= limit) {
                used += candidates.get(whole++).sizeInBytes();
            }
            List<RecordBatch> read = batches(info);
            assertThat(read.stream().map(PartitionLogPropertyTest::describe).toList()).as(what)
                .containsExactlyElementsOf(candidates.subList(0, whole).stream().map(ModelBatch::describe).toList());
            assertThat(info.records().sizeInBytes()).as(what + ": bytes").isEqualTo(Math.min(limit, available));
            if (isolation == FetchIsolation.TXN_COMMITTED) {
                long lastRead = whole > 0 ? candidates.get(whole - 1).lastOffset() : candidates.get(0).lastOffset();
                List<AbortedTxn> model = transactions().aborted().stream().filter(t -> t.lastOffset() >= offset).toList();
                List<AbortedTxn> named = info.abortedTransactions().orElseThrow();
                assertThat(model).as(what + ": only real aborted transactions overlapping it").containsAll(named);
                assertThat(named).as(what + ": every aborted transaction overlapping what was read")
                    .containsAll(model.stream().filter(t -> t.firstOffset() <= lastRead).toList());
            }
            if (info.records().sizeInBytes() > 0) {
                assertThat(info.firstEntryIncomplete()).as(what + ": first batch incomplete").isEqualTo(limit < candidates.get(0).sizeInBytes());
            }
        }

        /** StableOffset and AbortedIndex. */
        private void checkTransactions() {
            TxnModel model = transactions();
            long firstOpen = model.open().values().stream().mapToLong(Long::longValue).min().orElse(Long.MAX_VALUE);
            long heldBack = firstOpen;
            for (long[] txn : model.completed()) {
                if (txn[1] >= highWatermark) {
                    heldBack = Math.min(heldBack, txn[0]); // its marker is not replicated yet
                }
            }
            long upper = Math.min(highWatermark, Math.max(logStart, firstOpen));
            long lower = Math.min(highWatermark, Math.max(logStart, heldBack));
            assertThat(log.lastStableOffset()).as("last stable offset (open transactions " + model.open() + ")").isBetween(lower, upper);
            List<AbortedTxn> expected = model.aborted().stream().filter(t -> t.lastOffset() >= logStart && t.firstOffset() < logEnd).toList();
            assertThat(log.collectAbortedTransactions(logStart, logEnd)).as("aborted transactions").isEqualTo(expected);
            mostOpenTransactions = Math.max(mostOpenTransactions, model.open().size());
            mostAborted = Math.max(mostAborted, expected.size());
        }

        private void checkTimestampLookup(double at) {
            List<ModelRecord> readable = new ArrayList<>();
            batches.forEach(b -> b.records().stream().filter(r -> r.offset() >= logStart).forEach(readable::add));
            long min = readable.stream().mapToLong(ModelRecord::timestamp).min().orElse(NOW);
            long max = readable.stream().mapToLong(ModelRecord::timestamp).max().orElse(NOW);
            long target = min - 5 + Math.round(at * (max - min + 10));
            if (at < 0.2 && !readable.isEmpty()) {
                target = readable.get((int) (at * 5 * readable.size())).timestamp(); // exactly a record's timestamp
            }
            long wanted = target;
            Optional<TimestampLookup> expected = readable.stream().filter(r -> r.timestamp() >= wanted).findFirst()
                .map(r -> new TimestampLookup(r.timestamp(), r.offset()));
            assertThat(log.offsetForTimestamp(target)).as("offset for timestamp NOW%+d", target - NOW).isEqualTo(expected);
            Optional<TimestampLookup> newest = readable.stream().filter(r -> r.timestamp() == max).findFirst()
                .map(r -> new TimestampLookup(r.timestamp(), r.offset()));
            assertThat(log.offsetForTimestamp(TimestampLookup.MAX_TIMESTAMP)).as("MAX_TIMESTAMP").isEqualTo(newest);
        }

        @Override
        public void close() {
            if (log != null) {
                log.close();
            }
        }
    }

    /** Transactions the model's batches give: open (producer to first offset), aborted, and completed ({first, marker}). */
    record TxnModel(Map<Long, Long> open, List<AbortedTxn> aborted, List<long[]> completed) {
    }

    private static long floor(List<Long> bases, long offset) {
        long result = bases.get(0);
        for (long base : bases) {
            if (base <= offset) {
                result = base;
            }
        }
        return result;
    }

    private static List<RecordBatch> batches(FetchDataInfo info) {
        ByteBuffer buffer = ByteBuffer.allocate(info.records().sizeInBytes());
        info.records().copyTo(buffer);
        List<RecordBatch> result = new ArrayList<>();
        MemoryRecords.readableView(buffer.flip()).completeBatches().forEach(result::add);
        return result;
    }

    static String describe(RecordBatch batch) {
        assertThat(batch.isValid()).as("CRC of " + batch).isTrue();
        List<ModelRecord> records = new ArrayList<>();
        for (Record record : batch.records()) {
            records.add(new ModelRecord(record.offset(), record.timestamp(), record.keyBytes(), record.valueBytes()));
        }
        return batch.baseOffset() + "-" + batch.lastOffset() + " " + records.stream().map(ModelRecord::describe).toList();
    }

    private static byte[] pattern(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed * 31 + i * (seed % 5 + 1));
        }
        return bytes;
    }
}
