package dev.borges.storage.producer;

import dev.borges.storage.MockTime;
import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.EndTransactionMarker;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A producer state manager driven the way the partition log drives it (the integration contract in
 * {@link ProducerStateManager}), over an in-memory list of batches standing in for the log, with a
 * clock tests move. {@link #crashAndRecover()} throws the manager away and rebuilds one from the
 * snapshots on disk plus a replay of the log, as a restart does.
 */
final class ProducerStateTestContext {
    static final TopicPartition PARTITION = new TopicPartition("orders", 3);
    static final long START_MS = 1_700_000_000_000L;

    final MockTime time = new MockTime(START_MS);
    final Path directory;
    final ProducerStateConfig config;
    ProducerStateManager manager;

    private final List<RecordBatch> log = new ArrayList<>();
    /** Transactions completed by markers, in order: by appends and by replays after recovery. */
    final List<CompletedTxn> completedTxns = new ArrayList<>();
    private long logStartOffset;
    private long logEndOffset;

    /** What the log answered a producer. */
    record Outcome(Kind kind, long firstOffset, long lastOffset, long timestamp, Errors error, String message) {
        enum Kind { APPENDED, DUPLICATE, REJECTED }

        static Outcome appended(long first, long last, long timestamp) {
            return new Outcome(Kind.APPENDED, first, last, timestamp, Errors.NONE, "");
        }

        static Outcome duplicate(BatchMetadata original) {
            return new Outcome(Kind.DUPLICATE, original.firstOffset(), original.lastOffset(), original.maxTimestamp(), Errors.NONE, "");
        }

        static Outcome rejected(StorageException e) {
            return new Outcome(Kind.REJECTED, -1, -1, -1, e.error(), e.getMessage());
        }
    }

    ProducerStateTestContext(Path directory) {
        this(directory, ProducerStateConfig.defaults());
    }

    ProducerStateTestContext(Path directory, ProducerStateConfig config) {
        this.directory = directory;
        this.config = config;
        this.manager = new ProducerStateManager(PARTITION, directory, config);
    }

    /** A batch as a producer sends it, {@code records} records stamped with the clock's time. */
    RecordBatch batch(long producerId, int epoch, int baseSequence, int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(producerId, (short) epoch, baseSequence);
        for (int i = 0; i < records; i++) {
            builder.append(time.milliseconds(), null, ("r" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().batches().iterator().next();
    }

    /** A transactional batch as a producer sends it inside a transaction. */
    RecordBatch txnBatch(long producerId, int epoch, int baseSequence, int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(producerId, (short) epoch, baseSequence).transactional(true);
        for (int i = 0; i < records; i++) {
            builder.append(time.milliseconds(), null, ("t" + i).getBytes(StandardCharsets.UTF_8));
        }
        return builder.build().batches().iterator().next();
    }

    /** A COMMIT or ABORT marker as the transaction coordinator writes it. */
    RecordBatch marker(long producerId, int epoch, int coordinatorEpoch, ControlRecordType type) {
        return new EndTransactionMarker(type, coordinatorEpoch).toBatch(0L, time.milliseconds(), producerId, (short) epoch, 0)
            .batches().iterator().next();
    }

    /** A marker through the coordinator's path: validation, write, update. */
    Outcome appendMarker(long producerId, int epoch, int coordinatorEpoch, ControlRecordType type) {
        return append(marker(producerId, epoch, coordinatorEpoch, type), AppendOrigin.COORDINATOR);
    }

    /** A produce request's batch, through the leader's path: duplicate check, validation, write, update. */
    Outcome appendAsLeader(RecordBatch batch) {
        if (batch.hasProducerId()) {
            Optional<BatchMetadata> duplicate = manager.findDuplicateBatch(batch);
            if (duplicate.isPresent()) {
                return Outcome.duplicate(duplicate.get());
            }
        }
        return append(batch, AppendOrigin.CLIENT);
    }

    Outcome appendAsLeader(long producerId, int epoch, int baseSequence, int records) {
        return appendAsLeader(batch(producerId, epoch, baseSequence, records));
    }

    /** A batch fetched from the leader, through a follower's path. */
    Outcome appendAsFollower(RecordBatch batch) {
        return append(batch, AppendOrigin.REPLICATION);
    }

    private Outcome append(RecordBatch batch, AppendOrigin origin) {
        long firstOffset = logEndOffset;
        ProducerAppendInfo info = null;
        if (batch.hasProducerId()) {
            info = manager.prepareUpdate(batch.producerId(), origin);
            try {
                info.append(batch, firstOffset).ifPresent(completedTxns::add);
            } catch (StorageException e) {
                return Outcome.rejected(e);
            }
        }
        batch.setBaseOffset(firstOffset);
        log.add(batch);
        logEndOffset = batch.nextOffset();
        if (info != null) {
            manager.update(info);
        }
        manager.updateMapEndOffset(logEndOffset);
        return Outcome.appended(firstOffset, batch.lastOffset(), batch.maxTimestamp());
    }

    /** Restarts: a new manager from the directory, reloaded and brought up to the log end by replay. */
    void crashAndRecover() {
        manager = new ProducerStateManager(PARTITION, directory, config);
        recover();
    }

    /** Cuts the log's tail from {@code offset} on, as a follower does after a leader change, and rebuilds. */
    void truncateLogTo(long offset) {
        log.removeIf(batch -> batch.baseOffset() >= offset);
        logEndOffset = offset;
        recover();
    }

    /** Moves the log start up, as retention does; whole batches only. */
    void deleteLogBefore(long offset) {
        log.removeIf(batch -> batch.lastOffset() < offset);
        logStartOffset = offset;
        manager.onLogStartOffsetIncremented(offset);
    }

    private void recover() {
        manager.truncateAndReload(logStartOffset, logEndOffset, time.milliseconds());
        for (RecordBatch batch : log) {
            if (batch.baseOffset() >= manager.mapEndOffset() && batch.hasProducerId()) {
                ProducerAppendInfo info = manager.prepareUpdate(batch.producerId(), AppendOrigin.LOG_RECOVERY);
                info.append(batch, batch.baseOffset()).ifPresent(completedTxns::add);
                manager.update(info);
            }
        }
        manager.updateMapEndOffset(logEndOffset);
        // Replay knows nothing of expiry; producers idle since before the crash go now.
        manager.removeExpiredProducers(time.milliseconds());
    }

    long logEndOffset() {
        return logEndOffset;
    }

    int batchesInLog() {
        return log.size();
    }
}
