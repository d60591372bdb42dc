package dev.borges.storage.producer;

import dev.borges.protocol.record.RecordBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The state of one producer id on one partition: its epoch, the last {@value #RETAINED_BATCHES}
 * batches it appended in that epoch (oldest first), the timestamp of its last write, the epoch of the
 * transaction coordinator that last wrote a marker for it, and the first offset of its ongoing
 * transaction.
 *
 * <p>Immutable: a change makes a new entry. So a {@link ProducerAppendInfo} can validate against an
 * entry and build the next one without touching the manager, and a reader on another thread (see
 * {@link ProducerStateManager#activeProducers()}) always sees a whole entry.
 *
 * @param producerEpoch {@link RecordBatch#NO_PRODUCER_EPOCH} when the producer has no state here yet
 * @param coordinatorEpoch -1 until a transaction marker is written
 * @param lastTimestamp max timestamp of the last batch, {@link RecordBatch#NO_TIMESTAMP} when none;
 *     expiry is measured from it
 * @param currentTxnFirstOffset first offset of the producer's ongoing transaction on this partition:
 *     set by its first transactional batch, cleared by the COMMIT or ABORT marker that ends it
 * @param batches the last batches appended in {@code producerEpoch}, oldest first, at most
 *     {@value #RETAINED_BATCHES}; cleared when the epoch changes
 */
public record ProducerStateEntry(long producerId, short producerEpoch, int coordinatorEpoch, long lastTimestamp,
                                 OptionalLong currentTxnFirstOffset, List<BatchMetadata> batches) {
    /**
     * Batches remembered per producer. A producer with idempotence enabled keeps at most 5 requests
     * in flight per connection ({@code max.in.flight.requests.per.connection} &le; 5), so a retry is
     * always of one of its last 5 batches.
     */
    public static final int RETAINED_BATCHES = 5;

    public static final int NO_COORDINATOR_EPOCH = -1;

    public ProducerStateEntry {
        if (batches.size() > RETAINED_BATCHES) {
            throw new IllegalArgumentException(batches.size() + " batches for producer " + producerId
                + ", at most " + RETAINED_BATCHES + " are kept");
        }
        batches = List.copyOf(batches);
    }

    /** A producer with no state on this partition: never seen, expired, or truncated away. */
    public static ProducerStateEntry empty(long producerId) {
        return new ProducerStateEntry(producerId, RecordBatch.NO_PRODUCER_EPOCH, NO_COORDINATOR_EPOCH,
            RecordBatch.NO_TIMESTAMP, OptionalLong.empty(), List.of());
    }

    /** Whether the producer has no state: no epoch seen here. */
    public boolean isEmpty() {
        return producerEpoch == RecordBatch.NO_PRODUCER_EPOCH && batches.isEmpty();
    }

    /** Sequence of the last record appended in the current epoch, {@link RecordBatch#NO_SEQUENCE} when none. */
    public int lastSequence() {
        return batches.isEmpty() ? RecordBatch.NO_SEQUENCE : batches.get(batches.size() - 1).lastSequence();
    }

    /** Offset of the last record appended in the current epoch, -1 when none. */
    public long lastDataOffset() {
        return batches.isEmpty() ? -1L : batches.get(batches.size() - 1).lastOffset();
    }

    /**
     * The remembered batch a batch sent with these epoch and sequences repeats, if any: a retry of a
     * batch whose response was lost.
     */
    public Optional<BatchMetadata> findDuplicate(short epoch, int firstSequence, int lastSequence) {
        if (epoch != producerEpoch) {
            return Optional.empty();
        }
        for (BatchMetadata batch : batches) {
            if (batch.hasSequences(firstSequence, lastSequence)) {
                return Optional.of(batch);
            }
        }
        return Optional.empty();
    }

    /**
     * This entry after a batch of {@code epoch}: a new epoch starts with no remembered batches, and
     * the oldest of a full window is forgotten.
     */
    ProducerStateEntry withBatch(short epoch, BatchMetadata batch) {
        List<BatchMetadata> next = new ArrayList<>(RETAINED_BATCHES);
        if (epoch == producerEpoch) {
            int keep = Math.min(batches.size(), RETAINED_BATCHES - 1);
            next.addAll(batches.subList(batches.size() - keep, batches.size()));
        }
        next.add(batch);
        return new ProducerStateEntry(producerId, epoch, coordinatorEpoch, batch.maxTimestamp(), currentTxnFirstOffset, next);
    }

    /**
     * This entry after a transaction marker written with {@code epoch} by a coordinator of
     * {@code coordinatorEpoch}: no transaction is open any more, and a marker that bumps the epoch
     * (a fenced producer, or KIP-890's bump at the end of each transaction) starts the new epoch
     * with no remembered batches, so its first batch must start at sequence 0.
     */
    ProducerStateEntry withMarker(short epoch, int coordinatorEpoch, long timestamp) {
        List<BatchMetadata> kept = epoch == producerEpoch ? batches : List.of();
        return new ProducerStateEntry(producerId, epoch, coordinatorEpoch, timestamp, OptionalLong.empty(), kept);
    }

    /** This entry with a transaction opened at {@code firstOffset}. */
    ProducerStateEntry withTxnStartedAt(long firstOffset) {
        return new ProducerStateEntry(producerId, producerEpoch, coordinatorEpoch, lastTimestamp, OptionalLong.of(firstOffset), batches);
    }

    /** Whether the producer has been idle for at least {@code expirationMs} and has no transaction open. */
    boolean isExpired(long nowMs, long expirationMs) {
        return currentTxnFirstOffset.isEmpty() && nowMs - lastTimestamp >= expirationMs;
    }
}
