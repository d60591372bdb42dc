package dev.borges.broker.txn;

import dev.borges.protocol.Errors;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the markers of prepared transactions to their partitions, then reports the transaction
 * done. Each marker goes through the {@link TxnMarkerRouter} ({@code __consumer_offsets} partitions
 * to the group coordinator, others to the partition's log).
 *
 * <pre>
 *  send(markers) ─▶ write every remaining partition ─▶ all NONE (or gone) ─▶ onComplete(markers)
 *                        ▲                 │ retriable error on some
 *                        └── after 100 ms ─┘ (only those partitions again)
 * </pre>
 * Retriable: everything except a fenced coordinator ({@code TRANSACTION_COORDINATOR_FENCED}: a
 * newer coordinator owns the transaction, this one stops), a producer already past this epoch
 * ({@code INVALID_PRODUCER_EPOCH}: nothing left to end there) and a partition whose topic was
 * deleted. It stops too once this broker no longer coordinates the transaction: the next
 * coordinator, loading the prepare record, sends the markers again. Writing a marker twice is
 * harmless (the second ends no transaction).
 *
 * <p>Threading: thread-safe; the work runs on the given scheduler (the broker's timer).
 */
public final class TxnMarkerSender {
    private static final Logger LOG = LoggerFactory.getLogger(TxnMarkerSender.class);

    private final TxnMarkerRouter router;
    private final Predicate<TopicPartition> exists;
    private final Predicate<TxnMarkers> stillCoordinating;
    private final Consumer<TxnMarkers> onComplete;
    private final ScheduledExecutorService scheduler;
    private final long retryBackoffMs;

    /**
     * @param exists whether a partition still exists (markers for deleted topics are dropped)
     * @param stillCoordinating whether this broker still coordinates the markers' transaction
     * @param onComplete called once every marker is written
     */
    public TxnMarkerSender(TxnMarkerRouter router, Predicate<TopicPartition> exists, Predicate<TxnMarkers> stillCoordinating,
                           Consumer<TxnMarkers> onComplete, ScheduledExecutorService scheduler, long retryBackoffMs) {
        this.router = router;
        this.exists = exists;
        this.stillCoordinating = stillCoordinating;
        this.onComplete = onComplete;
        this.scheduler = scheduler;
        this.retryBackoffMs = retryBackoffMs;
    }

    /** Starts writing {@code markers}; returns at once. */
    public void send(TxnMarkers markers) {
        run(() -> attempt(markers, markers.partitions()), 0);
    }

    private void attempt(TxnMarkers markers, Set<TopicPartition> remaining) {
        if (!stillCoordinating.test(markers)) {
            LOG.info("No longer coordinating {}: leaving its markers to the next coordinator", markers.transactionalId());
            return;
        }
        Map<TopicPartition, CompletableFuture<Errors>> writes = new LinkedHashMap<>();
        for (TopicPartition partition : remaining) {
            writes.put(partition, router.write(partition, markers.producerId(), markers.producerEpoch(), markers.coordinatorEpoch(),
                markers.commit()));
        }
        CompletableFuture.allOf(writes.values().toArray(CompletableFuture[]::new)).whenComplete((ignored, failure) -> {
            List<TopicPartition> retry = new ArrayList<>();
            for (Map.Entry<TopicPartition, CompletableFuture<Errors>> write : writes.entrySet()) {
                Errors error = write.getValue().handle((result, e) -> e == null ? result : Errors.UNKNOWN_SERVER_ERROR).join();
                switch (outcome(markers, write.getKey(), error)) {
                    case RETRY -> retry.add(write.getKey());
                    case STOP -> {
                        return;
                    }
                    case DONE -> {
                    }
                }
            }
            if (retry.isEmpty()) {
                onComplete.accept(markers);
            } else {
                run(() -> attempt(markers, Set.copyOf(retry)), retryBackoffMs);
            }
        });
    }

    private enum Outcome { DONE, RETRY, STOP }

    private Outcome outcome(TxnMarkers markers, TopicPartition partition, Errors error) {
        switch (error) {
            case NONE:
                return Outcome.DONE;
            case TRANSACTION_COORDINATOR_FENCED:
                LOG.warn("A newer coordinator ended producer {}'s transaction on {}: stopping its markers", markers.producerId(), partition);
                return Outcome.STOP;
            case INVALID_PRODUCER_EPOCH:
                LOG.warn("Producer {} is past epoch {} on {}: its {} marker there is not needed", markers.producerId(),
                    markers.producerEpoch(), partition, markers.commit() ? "COMMIT" : "ABORT");
                return Outcome.DONE;
            default:
                if (!exists.test(partition)) {
                    LOG.info("{} no longer exists: no marker for producer {} there", partition, markers.producerId());
                    return Outcome.DONE;
                }
                LOG.debug("Marker for producer {} on {} failed with {}; retrying", markers.producerId(), partition, error);
                return Outcome.RETRY;
        }
    }

    private void run(Runnable task, long delayMs) {
        try {
            scheduler.schedule(task, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("The broker is stopping: markers left to the next start");
        }
    }
}
