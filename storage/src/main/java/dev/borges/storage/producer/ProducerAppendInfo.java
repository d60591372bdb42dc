package dev.borges.storage.producer;

import dev.borges.protocol.CorruptRecordException;
import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.EndTransactionMarker;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordIterator;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next state of one producer, built batch by batch before the batches are written, then handed
 * to {@link ProducerStateManager#update} once they are. Validation happens here, so a rejected batch
 * leaves the manager untouched.
 *
 * <p>The rules a data batch must pass (Kafka's, KIP-98 and KIP-360), checked in this order against
 * the state after the previous batch of this append:
 * <ol>
 *   <li>its epoch is not below the producer's, else {@code INVALID_PRODUCER_EPOCH} (a zombie whose
 *       epoch was bumped by a newer instance or by a marker);
 *   <li>({@link AppendOrigin#CLIENT} only) with a higher epoch, its first sequence is 0, else
 *       {@code OUT_OF_ORDER_SEQUENCE_NUMBER}; unless the producer has no state here (never seen,
 *       expired, or its state truncated away): then any sequence starts it, as KIP-360 lets a
 *       producer carry on after its state is gone;
 *   <li>({@link AppendOrigin#CLIENT} only) with the same epoch, its first sequence follows the last
 *       one appended (after {@code Integer.MAX_VALUE} comes 0), else
 *       {@code OUT_OF_ORDER_SEQUENCE_NUMBER}; again any sequence is accepted when the producer has
 *       no state;
 *   <li>a producer with an open transaction writes only transactional batches, else
 *       {@code INVALID_TXN_STATE}.
 * </ol>
 * A transactional batch from a producer with no open transaction opens one at its first offset.
 *
 * <p>A control batch is a transaction marker (KIP-98: key = version, type 0 ABORT / 1 COMMIT;
 * value = version, coordinator epoch; see {@code EndTransactionMarker}). It must pass:
 * <ol>
 *   <li>its producer epoch is not below the producer's, else {@code INVALID_PRODUCER_EPOCH}; a
 *       higher epoch is taken as the new epoch (the coordinator fenced the producer, or bumped its
 *       epoch at the end of the transaction as KIP-890 does);
 *   <li>its coordinator epoch is not below the last one that wrote a marker for this producer, else
 *       {@code TRANSACTION_COORDINATOR_FENCED} (a coordinator that lost its partition of
 *       {@code __transaction_state} to another).
 * </ol>
 * It closes the producer's open transaction, if any, which {@link #append} returns as a
 * {@link CompletedTxn}; a marker for a producer with no open transaction completes nothing.
 *
 * <p>Retries of a recent batch must be caught with {@link ProducerStateManager#findDuplicateBatch}
 * before this: to the rules above they look out of order. {@link AppendOrigin#REPLICATION} and
 * {@link AppendOrigin#LOG_RECOVERY} batches are what the leader or this log already hold, so they are
 * never rejected; a violation among them is logged. {@link AppendOrigin#COORDINATOR} batches skip the
 * sequence rules (they carry no sequence).
 *
 * <p>One instance per producer per append; not thread-safe (used under the log's append lock).
 */
public final class ProducerAppendInfo {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerAppendInfo.class);

    private final TopicPartition topicPartition;
    private final long producerId;
    private final AppendOrigin origin;
    private final ProducerStateEntry initial;
    private ProducerStateEntry updated;
    private long firstAppendedOffset = -1L;

    ProducerAppendInfo(TopicPartition topicPartition, long producerId, ProducerStateEntry initial, AppendOrigin origin) {
        this.topicPartition = topicPartition;
        this.producerId = producerId;
        this.origin = origin;
        this.initial = initial;
        this.updated = initial;
    }

    public long producerId() {
        return producerId;
    }

    public AppendOrigin origin() {
        return origin;
    }

    /**
     * Checks a batch of this producer, data or transaction marker, and adds it to the next state.
     *
     * @param firstOffset the offset the log assigned (or, replaying, had assigned) to the batch's
     *     first record; the batch's own base offset need not be stamped yet
     * @return the transaction a marker completed; empty for data batches and for markers that found
     *     no open transaction
     * @throws StorageException {@code INVALID_PRODUCER_EPOCH}, {@code OUT_OF_ORDER_SEQUENCE_NUMBER},
     *     {@code INVALID_TXN_STATE}, {@code TRANSACTION_COORDINATOR_FENCED} or (a control batch that
     *     is no transaction marker) {@code CORRUPT_MESSAGE} for a batch that breaks the rules of its
     *     origin; this info is then unchanged
     * @throws IllegalArgumentException for a batch of another producer
     */
    public Optional<CompletedTxn> append(RecordBatch batch, long firstOffset) {
        if (batch.producerId() != producerId) {
            throw new IllegalArgumentException("Batch of producer " + batch.producerId()
                + " appended to the state of producer " + producerId);
        }
        if (batch.isControlBatch()) {
            Optional<EndTransactionMarker> marker = readMarker(batch, firstOffset);
            if (marker.isEmpty()) {
                return Optional.empty();
            }
            return appendEndTxnMarker(marker.get(), batch.producerEpoch(), firstOffset + batch.lastOffsetDelta(), batch.maxTimestamp());
        }
        appendDataBatch(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), batch.maxTimestamp(),
            firstOffset, firstOffset + batch.lastOffsetDelta(), batch.isTransactional());
        return Optional.empty();
    }

    /**
     * The marker a control batch holds. A control batch with no record (the cleaner may leave one
     * behind) marks nothing; one whose record is no transaction marker is refused from a
     * coordinator and skipped with a warning in a log already holding it.
     */
    private Optional<EndTransactionMarker> readMarker(RecordBatch batch, long offset) {
        try (RecordIterator records = batch.recordIterator()) {
            if (!records.hasNext()) {
                return Optional.empty();
            }
            return Optional.of(EndTransactionMarker.parse(records.next()));
        } catch (CorruptRecordException e) {
            String message = "Control batch of producer " + producerId + " at offset " + offset + " in " + topicPartition
                + " is no transaction marker: " + e.getMessage();
            if (origin.validates()) {
                throw new StorageException(Errors.CORRUPT_MESSAGE, message, e);
            }
            LOG.warn("{} ({}); skipped", message, origin);
            return Optional.empty();
        }
    }

    /** {@link #append} of a data batch, from its header fields. */
    void appendDataBatch(short epoch, int firstSequence, int lastSequence, long maxTimestamp, long firstOffset, long lastOffset,
                         boolean transactional) {
        if (firstOffset < 0 || lastOffset < firstOffset || lastOffset - firstOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Invalid offsets " + firstOffset + ".." + lastOffset
                + " for a batch of producer " + producerId);
        }
        checkEpoch(epoch, "sequence " + firstSequence, firstOffset);
        if (origin.checksSequence()) {
            checkSequence(epoch, firstSequence, firstOffset);
        }
        boolean txnOpen = updated.currentTxnFirstOffset().isPresent();
        if (txnOpen && !transactional) {
            reject(Errors.INVALID_TXN_STATE, "Producer " + producerId + " wrote a non-transactional batch at offset " + firstOffset
                + " in " + topicPartition + " while its transaction from offset " + updated.currentTxnFirstOffset().getAsLong()
                + " is open");
        }
        updated = updated.withBatch(epoch, new BatchMetadata(firstSequence, lastSequence, lastOffset,
            (int) (lastOffset - firstOffset), maxTimestamp));
        if (!txnOpen && transactional) {
            updated = updated.withTxnStartedAt(firstOffset);
        }
        noteAppended(firstOffset);
    }

    /** {@link #append} of a transaction marker at {@code offset}. */
    Optional<CompletedTxn> appendEndTxnMarker(EndTransactionMarker marker, short epoch, long offset, long timestamp) {
        checkEpoch(epoch, "a " + marker.type() + " marker", offset);
        if (marker.coordinatorEpoch() < updated.coordinatorEpoch()) {
            reject(Errors.TRANSACTION_COORDINATOR_FENCED, "A " + marker.type() + " marker for producer " + producerId + " at offset "
                + offset + " in " + topicPartition + " comes from coordinator epoch " + marker.coordinatorEpoch()
                + ", older than the epoch " + updated.coordinatorEpoch() + " that last wrote a marker for it");
        }
        OptionalLong txnFirstOffset = updated.currentTxnFirstOffset();
        Optional<CompletedTxn> completed = txnFirstOffset.isPresent()
            ? Optional.of(new CompletedTxn(producerId, txnFirstOffset.getAsLong(), offset, marker.type() == ControlRecordType.ABORT))
            : Optional.empty();
        // A replica follows the log even past a stale coordinator epoch: never let the epoch go back.
        updated = updated.withMarker(epoch, Math.max(marker.coordinatorEpoch(), updated.coordinatorEpoch()), timestamp);
        noteAppended(offset);
        return completed;
    }

    private void noteAppended(long offset) {
        if (firstAppendedOffset < 0) {
            firstAppendedOffset = offset;
        }
    }

    private void checkEpoch(short epoch, String what, long offset) {
        short current = updated.producerEpoch();
        if (epoch >= current) {
            return;
        }
        reject(Errors.INVALID_PRODUCER_EPOCH, "Producer " + producerId + " sent epoch " + epoch + " (" + what + ") at offset "
            + offset + " in " + topicPartition + ", below its current epoch " + current);
    }

    /** Throws for origins held to the rules; a replica or a recovering log only logs what it must follow anyway. */
    private void reject(Errors error, String message) {
        if (!origin.validates()) {
            LOG.warn("{} ({})", message, origin);
            return;
        }
        throw new StorageException(error, message);
    }

    private void checkSequence(short epoch, int firstSequence, long offset) {
        if (updated.isEmpty()) {
            return; // KIP-360: no state left to check against, so the producer's sequence is taken as is.
        }
        short current = updated.producerEpoch();
        if (epoch != current) {
            if (firstSequence != 0) {
                throw new StorageException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Producer " + producerId
                    + " started epoch " + epoch + " (current " + current + ") at sequence " + firstSequence
                    + " instead of 0, at offset " + offset + " in " + topicPartition);
            }
            return;
        }
        int lastSequence = updated.lastSequence();
        if (!follows(lastSequence, firstSequence)) {
            throw new StorageException(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER, "Producer " + producerId + " epoch " + epoch
                + " sent sequence " + firstSequence + " after sequence " + lastSequence + " (expected "
                + nextSequence(lastSequence) + "), at offset " + offset + " in " + topicPartition);
        }
    }

    /** Whether {@code next} directly follows {@code last}; a producer with no batch in its epoch starts at 0. */
    static boolean follows(int last, int next) {
        return next == nextSequence(last);
    }

    private static int nextSequence(int last) {
        return last == Integer.MAX_VALUE ? 0 : last + 1;
    }

    /** The state before this append. */
    ProducerStateEntry initialEntry() {
        return initial;
    }

    /** The state after the batches appended so far. */
    ProducerStateEntry toEntry() {
        return updated;
    }

    /** Whether any batch was appended. */
    boolean hasAppended() {
        return firstAppendedOffset >= 0;
    }

    /** Offset of the first batch appended, -1 when none. */
    long firstAppendedOffset() {
        return firstAppendedOffset;
    }

    @Override
    public String toString() {
        return "ProducerAppendInfo(producerId=" + producerId + ", origin=" + origin + ", initial=" + initial
            + ", updated=" + updated + ")";
    }
}
