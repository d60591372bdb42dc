package dev.borges.storage.cleaner;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordIterator;
import dev.borges.storage.index.AbortedTxn;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * What one cleaning pass knows of transactions, batch by batch in offset order: which data batches
 * belong to aborted transactions (their records are removed, as Kafka's cleaner removes them), and
 * which transaction markers may go.
 *
 * <p>The aborted transactions come from the log's transaction indexes
 * ({@code PartitionLog.collectAbortedTransactions}) for the range the pass reads. A producer has at
 * most one transaction open on a partition, so once an aborted transaction's first offset is
 * reached, every transactional batch of its producer up to its ABORT marker is part of it.
 *
 * <p>A marker may be removed only when no record of its transaction is left in the log. The pass
 * reads the log from its first segment, so "left in the log" is "seen by this pass": a marker whose
 * transaction had a batch earlier in the pass (kept, or removed by this very pass) is kept, and an
 * ABORT marker kept that way keeps its entry in the cleaned segment's transaction index
 * ({@link MarkerFate#keptAbortedTxn}), since consumers may still read that data. The next pass finds
 * no data, and the marker then goes like a tombstone: it is given a delete horizon of
 * {@code delete.retention.ms} and removed by the first pass after it (see {@link BatchFilter}), so a
 * consumer that read the transaction's records still sees its marker.
 *
 * <p>Not thread-safe; one per phase of a pass, fed every batch of the range in offset order.
 */
final class CleanedTransactions {
    private final PriorityQueue<AbortedTxn> pending = new PriorityQueue<>(Comparator.comparingLong(AbortedTxn::firstOffset));
    /** Aborted transactions whose first offset the pass has reached, by producer, until their marker. */
    private final Map<Long, OngoingAborted> ongoingAborted = new HashMap<>();
    /** Producers with transactional data seen since their last marker that no aborted transaction claims. */
    private final Set<Long> ongoingCommitted = new HashSet<>();

    /** What a marker batch's fate is. */
    record MarkerFate(boolean removable, Optional<AbortedTxn> keptAbortedTxn) {
        static final MarkerFate KEEP = new MarkerFate(false, Optional.empty());
        static final MarkerFate REMOVABLE = new MarkerFate(true, Optional.empty());
    }

    private static final class OngoingAborted {
        final AbortedTxn txn;
        boolean dataSeen;

        OngoingAborted(AbortedTxn txn) {
            this.txn = txn;
        }
    }

    /** @param aborted the aborted transactions overlapping the range the pass reads, in any order */
    CleanedTransactions(List<AbortedTxn> aborted) {
        pending.addAll(aborted);
    }

    /** Whether a data batch belongs to an aborted transaction: then none of its records stays. */
    boolean isAborted(RecordBatch batch) {
        reachOffset(batch.lastOffset());
        if (!batch.isTransactional() || !batch.hasProducerId()) {
            return false;
        }
        OngoingAborted aborted = ongoingAborted.get(batch.producerId());
        if (aborted != null) {
            aborted.dataSeen = true;
            return true;
        }
        ongoingCommitted.add(batch.producerId());
        return false;
    }

    /** Whether a control batch may be removed (once its horizon passes) and which index entry stays with it. */
    MarkerFate onControlBatch(RecordBatch batch) {
        reachOffset(batch.lastOffset());
        Optional<ControlRecordType> type = markerType(batch);
        if (type.isEmpty() || !batch.hasProducerId()) {
            return MarkerFate.KEEP; // not a transaction marker: never removed
        }
        long producerId = batch.producerId();
        boolean committedDataSeen = ongoingCommitted.remove(producerId);
        OngoingAborted aborted = ongoingAborted.remove(producerId);
        if (type.get() == ControlRecordType.ABORT && aborted != null && aborted.dataSeen) {
            return new MarkerFate(false, Optional.of(aborted.txn));
        }
        return committedDataSeen ? MarkerFate.KEEP : MarkerFate.REMOVABLE;
    }

    private void reachOffset(long offset) {
        while (!pending.isEmpty() && pending.peek().firstOffset() <= offset) {
            AbortedTxn txn = pending.poll();
            ongoingAborted.putIfAbsent(txn.producerId(), new OngoingAborted(txn));
        }
    }

    private static Optional<ControlRecordType> markerType(RecordBatch batch) {
        try (RecordIterator records = batch.recordIterator()) {
            if (!records.hasNext()) {
                return Optional.empty();
            }
            Record record = records.next();
            ControlRecordType type = ControlRecordType.of(record);
            return type == ControlRecordType.COMMIT || type == ControlRecordType.ABORT ? Optional.of(type) : Optional.empty();
        } catch (CorruptRecordException e) {
            return Optional.empty();
        }
    }
}
