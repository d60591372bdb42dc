package dev.borges.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.Errors;
import dev.borges.storage.TopicPartition;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the markers of a prepared transaction reach every partition, through errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TxnMarkerSenderTest {
    private static final TopicPartition ORDERS = new TopicPartition("orders", 0);
    private static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 3);
    private static final TopicPartition DELETED = new TopicPartition("deleted", 0);
    private static final TxnMarkers MARKERS = new TxnMarkers("t", 0, 2, 9L, (short) 1, true, Set.of(ORDERS, OFFSETS, DELETED));

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Map<TopicPartition, Queue<Errors>> answers = new HashMap<>();
    private final List<TopicPartition> written = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<TxnMarkers> completed = new CompletableFuture<>();
    private volatile boolean coordinating = true;

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private Errors answer(TopicPartition partition) {
        written.add(partition);
        synchronized (answers) {
            Queue<Errors> queue = answers.get(partition);
            return queue == null || queue.isEmpty() ? Errors.NONE : queue.poll();
        }
    }

    private void answers(TopicPartition partition, Errors... errors) {
        answers.put(partition, new ArrayDeque<>(List.of(errors)));
    }

    private TxnMarkerSender sender() {
        TxnMarkerRouter router = new TxnMarkerRouter((tp, producerId, epoch, coordinatorEpoch, commit) -> answer(tp),
            (tp, producerId, epoch, coordinatorEpoch, commit) -> CompletableFuture.completedFuture(answer(tp)), "__consumer_offsets");
        return new TxnMarkerSender(router, tp -> !tp.equals(DELETED), markers -> coordinating, completed::complete, scheduler, 1);
    }

    @Test
    void retriesRetriableErrorsUntilEveryMarkerIsWritten() throws Exception {
        answers(ORDERS, Errors.NOT_ENOUGH_REPLICAS, Errors.KAFKA_STORAGE_ERROR);
        answers(OFFSETS, Errors.COORDINATOR_LOAD_IN_PROGRESS);
        answers(DELETED, Errors.UNKNOWN_TOPIC_OR_PARTITION);
        sender().send(MARKERS);
        assertThat(completed.get(10, TimeUnit.SECONDS)).isEqualTo(MARKERS);
        assertThat(written.stream().filter(ORDERS::equals)).hasSize(3);
        assertThat(written.stream().filter(OFFSETS::equals)).hasSize(2);
        assertThat(written.stream().filter(DELETED::equals)).as("a deleted topic is given up at once").hasSize(1);
    }

    @Test
    void stopsWhenAnotherCoordinatorTookOver() throws Exception {
        answers(ORDERS, Errors.TRANSACTION_COORDINATOR_FENCED);
        sender().send(MARKERS);
        drain();
        assertThat(completed).isNotDone();

        coordinating = false;
        answers(ORDERS, Errors.NOT_ENOUGH_REPLICAS);
        written.clear();
        sender().send(MARKERS);
        drain();
        assertThat(written).as("no longer coordinating: nothing written").isEmpty();
        assertThat(completed).isNotDone();
    }

    /** Waits for what the scheduler has queued (no retry is scheduled in these cases). */
    private void drain() throws Exception {
        scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS);
        scheduler.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aPartitionWhereTheProducerMovedOnNeedsNoMarker() throws Exception {
        answers(ORDERS, Errors.INVALID_PRODUCER_EPOCH);
        sender().send(MARKERS);
        assertThat(completed.get(10, TimeUnit.SECONDS)).isEqualTo(MARKERS);
    }
}
