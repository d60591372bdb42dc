package dev.borges.storage.producer;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The next state of one producer, built batch by batch before the batches are written, then handed
 * to {@link ProducerStateManager#update} once they are. Validation happens here, so a rejected batch
 * leaves the manager untouched.
 *
 * <p>The rules a {@link AppendOrigin#CLIENT CLIENT} batch must pass (Kafka's, KIP-98 and KIP-360),
 * checked in this order against the state after the previous batch of this append:
 * <ol>
 *   <li>its epoch is not below the producer's, else {@code INVALID_PRODUCER_EPOCH} (a zombie whose
 *       epoch was bumped by a newer instance);
 *   <li>with a higher epoch, its first sequence is 0, else {@code OUT_OF_ORDER_SEQUENCE_NUMBER};
 *       unless the producer has no state here (never seen, expired, or its state truncated away):
 *       then any sequence starts it, as KIP-360 lets a producer carry on after its state is gone;
 *   <li>with the same epoch, its first sequence follows the last one appended (after
 *       {@code Integer.MAX_VALUE} comes 0), else {@code OUT_OF_ORDER_SEQUENCE_NUMBER}; again any
 *       sequence is accepted when the producer has no state.
 * </ol>
 * Retries of a recent batch must be caught with {@link ProducerStateManager#findDuplicateBatch}
 * before this: to the rules above they look out of order. {@link AppendOrigin#REPLICATION} and
 * {@link AppendOrigin#LOG_RECOVERY} batches are what the leader or this log already hold, so they are
 * never rejected; a stale epoch among them is logged.
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
     * Checks a data batch of this producer and adds it to the next state.
     *
     * @param firstOffset the offset the log assigned (or, replaying, had assigned) to the batch's
     *     first record; the batch's own base offset need not be stamped yet
     * @throws StorageException {@code INVALID_PRODUCER_EPOCH} or {@code OUT_OF_ORDER_SEQUENCE_NUMBER}
     *     for a {@link AppendOrigin#CLIENT} batch that breaks the rules; this info is then unchanged
     * @throws IllegalArgumentException for a batch of another producer or a control batch
     *     (transaction markers come with transactions)
     */
    public void append(RecordBatch batch, long firstOffset) {
        if (batch.producerId() != producerId) {
            throw new IllegalArgumentException("Batch of producer " + batch.producerId()
                + " appended to the state of producer " + producerId);
        }
        if (batch.isControlBatch()) {
            throw new IllegalArgumentException("Control batch of producer " + producerId + " at offset " + firstOffset
                + ": transaction markers are not handled by producer state yet");
        }
        appendDataBatch(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(), batch.maxTimestamp(),
            firstOffset, firstOffset + batch.lastOffsetDelta());
    }

    /** {@link #append} from the batch's header fields. */
    void appendDataBatch(short epoch, int firstSequence, int lastSequence, long maxTimestamp, long firstOffset, long lastOffset) {
        if (firstOffset < 0 || lastOffset < firstOffset || lastOffset - firstOffset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Invalid offsets " + firstOffset + ".." + lastOffset
                + " for a batch of producer " + producerId);
        }
        checkEpoch(epoch, firstSequence, firstOffset);
        if (origin.validates()) {
            checkSequence(epoch, firstSequence, firstOffset);
        }
        updated = updated.withBatch(epoch, new BatchMetadata(firstSequence, lastSequence, lastOffset,
            (int) (lastOffset - firstOffset), maxTimestamp));
        if (firstAppendedOffset < 0) {
            firstAppendedOffset = firstOffset;
        }
    }

    private void checkEpoch(short epoch, int firstSequence, long offset) {
        short current = updated.producerEpoch();
        if (epoch >= current) {
            return;
        }
        String message = "Producer " + producerId + " sent epoch " + epoch + " (sequence " + firstSequence + ") at offset "
            + offset + " in " + topicPartition + ", below its current epoch " + current;
        if (!origin.validates()) {
            // The leader accepted it, or this log already holds it: a replica follows, never refuses.
            LOG.warn("{} ({})", message, origin);
            return;
        }
        throw new StorageException(Errors.INVALID_PRODUCER_EPOCH, message);
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
