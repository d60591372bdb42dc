package dev.borges.storage.producer;

import dev.borges.protocol.Errors;
import dev.borges.storage.producer.ProducerStateTestContext.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The producer-state rules written as plainly as possible, for property tests to check the real
 * thing against: what a leader should answer each batch, and the offsets it should use.
 * Sequences live in [0, 2^31) and wrap to 0.
 */
final class ProducerStateModel {
    private static final long SEQUENCE_SPACE = 1L << 31;

    private record Written(int firstSequence, int lastSequence, long firstOffset, long lastOffset, long timestamp) {
    }

    private static final class Producer {
        short epoch;
        long lastTimestamp;
        final List<Written> inEpoch = new ArrayList<>();
    }

    private final Map<Long, Producer> producers = new HashMap<>();
    private final long expirationMs;
    private long logEndOffset;

    ProducerStateModel(long expirationMs) {
        this.expirationMs = expirationMs;
    }

    static int lastSequence(int firstSequence, int records) {
        return (int) ((firstSequence + (long) records - 1) % SEQUENCE_SPACE);
    }

    /** What the leader should answer, and the model's state after it. */
    Outcome send(long producerId, short epoch, int firstSequence, int records, long timestamp) {
        int lastSequence = lastSequence(firstSequence, records);
        Producer producer = producers.get(producerId);
        if (producer != null && producer.epoch == epoch) {
            List<Written> window = producer.inEpoch.subList(Math.max(0, producer.inEpoch.size() - 5), producer.inEpoch.size());
            for (Written written : window) {
                if (written.firstSequence == firstSequence && written.lastSequence == lastSequence) {
                    return new Outcome(Outcome.Kind.DUPLICATE, written.firstOffset, written.lastOffset, written.timestamp, Errors.NONE, "");
                }
            }
        }
        if (producer != null) {
            if (epoch < producer.epoch) {
                return rejected(Errors.INVALID_PRODUCER_EPOCH);
            }
            if (epoch > producer.epoch && firstSequence != 0) {
                return rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
            }
            if (epoch == producer.epoch) {
                int last = producer.inEpoch.get(producer.inEpoch.size() - 1).lastSequence;
                if (firstSequence != (last + 1L) % SEQUENCE_SPACE) {
                    return rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
                }
            }
        }
        if (producer == null) {
            producer = new Producer();
            producer.epoch = epoch;
            producers.put(producerId, producer);
        }
        if (producer.epoch != epoch) {
            producer.epoch = epoch;
            producer.inEpoch.clear();
        }
        Written written = new Written(firstSequence, lastSequence, logEndOffset, logEndOffset + records - 1, timestamp);
        producer.inEpoch.add(written);
        producer.lastTimestamp = timestamp;
        logEndOffset += records;
        return Outcome.appended(written.firstOffset, written.lastOffset, timestamp);
    }

    void expire(long nowMs) {
        producers.values().removeIf(producer -> nowMs - producer.lastTimestamp >= expirationMs);
    }

    long logEndOffset() {
        return logEndOffset;
    }

    /** Epoch and last sequence of each producer with state, to compare with the manager's. */
    Map<Long, List<Integer>> summary() {
        Map<Long, List<Integer>> summary = new HashMap<>();
        producers.forEach((id, producer) -> summary.put(id,
            List.of((int) producer.epoch, producer.inEpoch.get(producer.inEpoch.size() - 1).lastSequence)));
        return summary;
    }

    private static Outcome rejected(Errors error) {
        return new Outcome(Outcome.Kind.REJECTED, -1, -1, -1, error, "");
    }
}
