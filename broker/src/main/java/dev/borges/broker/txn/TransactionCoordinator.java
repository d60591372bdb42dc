package dev.borges.broker.txn;

import dev.borges.broker.coordinator.CoordinatorEventLoop;
import dev.borges.broker.coordinator.CoordinatorRuntime;
import dev.borges.broker.coordinator.InternalTopic;
import dev.borges.broker.coordinator.PartitionCoordinatorLog;
import dev.borges.broker.group.GroupErrors;
import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionLeadershipListener;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.metadata.controller.NewTopic;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.Errors;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The transaction coordinator (KIP-98, transaction version 1): where the transactional request
 * handlers go. A transactional id belongs to the {@code __transaction_state} partition
 * {@code abs(transactionalId.hashCode()) % partitions}; this broker coordinates the ids of the
 * partitions it leads, each partition a {@link TransactionCoordinatorShard} in a
 * {@link CoordinatorRuntime} (loaded when the broker becomes leader, dropped when it stops). Ids of
 * other partitions answer {@code NOT_COORDINATOR}, ids of a loading partition
 * {@code COORDINATOR_LOAD_IN_PROGRESS}.
 *
 * <p>{@code __transaction_state} is created on the first FindCoordinator for a transactional id
 * ({@link #ensureStateTopic}): compacted, {@code transaction.state.log.num.partitions} partitions,
 * {@code transaction.state.log.replication.factor} replicas (at most the registered brokers).
 *
 * <p>Markers of prepared transactions go through a {@link TxnMarkerSender} on a thread of their
 * own ({@code txn-marker-sender}); when they are all written the transaction's shard writes its
 * Complete record.
 *
 * <p>Threading: thread-safe; handlers call it from the network threads, the metadata publisher
 * from the controller's apply thread.
 */
public final class TransactionCoordinator implements PartitionLeadershipListener, AutoCloseable {
    public static final String STATE_TOPIC = "__transaction_state";

    private final TxnConfig config;
    private final CoordinatorRuntime<TransactionCoordinatorShard> runtime;
    private final InternalTopic topic;
    private final Supplier<MetadataImage> image;
    private final Supplier<CompletableFuture<Long>> producerIds;
    private final Function<String, TopicPartition> offsetsPartitionOf;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final ScheduledExecutorService timer;
    private final ScheduledExecutorService markerThread;
    private final Map<Integer, Integer> coordinatorEpochs = new ConcurrentHashMap<>();

    /**
     * @param image the broker's latest metadata image
     * @param topicCreator creates a topic through the controller; the future completes once it is committed
     * @param producerIds allocates a new producer id
     * @param offsetsPartitionOf the {@code __consumer_offsets} partition of a group (AddOffsetsToTxn)
     * @param markers ends a transaction on one partition of this broker
     * @param fetchPurgatory fetches to wake after writing to {@code __transaction_state}
     * @param timer the broker's timer (re-checks of the high watermark for writes waiting to commit)
     */
    public TransactionCoordinator(TxnConfig config, Time time, int threads, Supplier<MetadataImage> image,
                                  Function<NewTopic, CompletableFuture<?>> topicCreator, Supplier<CompletableFuture<Long>> producerIds,
                                  Function<String, TopicPartition> offsetsPartitionOf, TxnMarkerRouter markers,
                                  Purgatory<TopicPartition> fetchPurgatory,
                                  ScheduledExecutorService timer) {
        this.config = config;
        this.image = image;
        this.producerIds = producerIds;
        this.offsetsPartitionOf = offsetsPartitionOf;
        this.fetchPurgatory = fetchPurgatory;
        this.timer = timer;
        this.topic = new InternalTopic(STATE_TOPIC, config.stateLogPartitions(), image, topicCreator);
        this.markerThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "txn-marker-sender");
            thread.setDaemon(true);
            return thread;
        });
        TxnMarkerSender sender = new TxnMarkerSender(markers, this::partitionExists, this::coordinates, this::complete, markerThread,
            TxnConfig.MARKER_RETRY_BACKOFF_MS);
        List<CoordinatorEventLoop> loops = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            loops.add(CoordinatorEventLoop.singleThread("txn-coordinator-" + i));
        }
        this.runtime = new CoordinatorRuntime<>("txn-coordinator", time, loops, (partition, shardTimer) ->
            new TransactionCoordinatorShard(partition, coordinatorEpochs.getOrDefault(partition, 0), config, shardTimer, sender::send));
    }

    public TxnConfig config() {
        return config;
    }

    // ---- which partition, which broker ---------------------------------------------------------

    public int partitionFor(String transactionalId) {
        return topic.partitionFor(transactionalId);
    }

    /** The broker leading {@code transactionalId}'s partition, if the topic exists and the partition has a leader. */
    public OptionalInt coordinatorNode(String transactionalId) {
        return topic.coordinatorNode(transactionalId);
    }

    /** Creates {@code __transaction_state} unless it exists; completes once it does. */
    public CompletableFuture<Void> ensureStateTopic() {
        int replicationFactor = topic.replicationFactor(config.stateLogReplicationFactor());
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(LogConfig.CLEANUP_POLICY, "compact");
        configs.put(LogConfig.SEGMENT_BYTES, Integer.toString(config.stateLogSegmentBytes()));
        configs.put(LogConfig.COMPRESSION_TYPE, "uncompressed");
        configs.put(LogConfig.MIN_IN_SYNC_REPLICAS, Integer.toString(Math.min(config.stateLogMinIsr(), replicationFactor)));
        configs.put(LogConfig.UNCLEAN_LEADER_ELECTION_ENABLE, "false");
        return topic.ensureExists(replicationFactor, configs);
    }

    // ---- leadership ----------------------------------------------------------------------------

    @Override
    public void onBecomeLeader(Partition partition) {
        TopicPartition topicPartition = partition.topicPartition();
        if (STATE_TOPIC.equals(topicPartition.topic())) {
            coordinatorEpochs.put(topicPartition.partition(), partition.leaderEpoch());
            runtime.load(topicPartition.partition(), partition.leaderEpoch(),
                new PartitionCoordinatorLog(partition, fetchPurgatory, config.loadBufferBytes(), timer));
        }
    }

    @Override
    public void onResign(TopicPartition topicPartition) {
        if (STATE_TOPIC.equals(topicPartition.topic())) {
            runtime.unload(topicPartition.partition(), Integer.MAX_VALUE);
        }
    }

    @Override
    public void onTopicsDeleted(Collection<String> topics) {
        // Markers for partitions of deleted topics are dropped by the sender when it meets them.
    }

    // ---- the producer's requests ---------------------------------------------------------------

    /** What InitProducerId answers. */
    public record ProducerIdAndEpoch(Errors error, long producerId, short producerEpoch) {
    }

    /**
     * InitProducerId with a transactional id; {@code timeoutMs} must be within
     * {@code transaction.max.timeout.ms}. A new producer id is allocated only when the shard needs one.
     */
    public CompletableFuture<ProducerIdAndEpoch> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                                               short expectedEpoch) {
        if (transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(new ProducerIdAndEpoch(Errors.INVALID_REQUEST, -1, (short) -1));
        }
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return CompletableFuture.completedFuture(new ProducerIdAndEpoch(Errors.INVALID_TRANSACTION_TIMEOUT, -1, (short) -1));
        }
        return initProducerId(transactionalId, timeoutMs, expectedProducerId, expectedEpoch, -1L)
            .thenCompose(result -> {
                if (!result.needsProducerId()) {
                    return CompletableFuture.completedFuture(result);
                }
                return producerIds.get().thenCompose(id -> initProducerId(transactionalId, timeoutMs, expectedProducerId,
                    expectedEpoch, id));
            })
            .handle((result, failure) -> failure != null
                ? new ProducerIdAndEpoch(toError(failure, "InitProducerId"), -1, (short) -1)
                : result.needsProducerId() ? new ProducerIdAndEpoch(Errors.CONCURRENT_TRANSACTIONS, -1, (short) -1)
                : new ProducerIdAndEpoch(result.error(), result.producerId(), result.producerEpoch()));
    }

    private CompletableFuture<TransactionCoordinatorShard.InitResult> initProducerId(String transactionalId, int timeoutMs,
                                                                                     long expectedProducerId, short expectedEpoch,
                                                                                     long candidate) {
        return runtime.scheduleWrite(partitionFor(transactionalId), "init-producer-id",
            (shard, now) -> shard.initProducerId(transactionalId, timeoutMs, expectedProducerId, expectedEpoch, candidate, now));
    }

    /** AddPartitionsToTxn (client form): one error for all the partitions. */
    public CompletableFuture<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch,
                                                   Collection<TopicPartition> partitions) {
        return runtime.scheduleWrite(partitionFor(transactionalId), "add-partitions-to-txn",
                (shard, now) -> shard.addPartitions(transactionalId, producerId, producerEpoch, partitions, now))
            .exceptionally(failure -> toError(failure, "AddPartitionsToTxn"));
    }

    /** AddOffsetsToTxn: adds the group's {@code __consumer_offsets} partition to the transaction. */
    public CompletableFuture<Errors> addOffsets(String transactionalId, long producerId, short producerEpoch, String groupId) {
        return addPartitions(transactionalId, producerId, producerEpoch, List.of(offsetsPartitionOf.apply(groupId)));
    }

    /** Whether each partition is in the producer's ongoing transaction (AddPartitionsToTxn verify-only, Produce). */
    public CompletableFuture<Map<TopicPartition, Errors>> verify(String transactionalId, long producerId, short producerEpoch,
                                                                 Collection<TopicPartition> partitions) {
        return runtime.scheduleRead(partitionFor(transactionalId), "verify-partitions",
                (shard, now) -> shard.verify(transactionalId, producerId, producerEpoch, partitions))
            .exceptionally(failure -> {
                Errors error = toError(failure, "AddPartitionsToTxn(verify)");
                Map<TopicPartition, Errors> all = new LinkedHashMap<>();
                partitions.forEach(partition -> all.put(partition, error));
                return all;
            });
    }

    /** EndTxn: answers once the prepare record is written; the markers follow. */
    public CompletableFuture<Errors> endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit) {
        return runtime.scheduleWrite(partitionFor(transactionalId), "end-txn",
                (shard, now) -> shard.endTransaction(transactionalId, producerId, producerEpoch, commit, now))
            .exceptionally(failure -> toError(failure, "EndTxn"));
    }

    // ---- admin ---------------------------------------------------------------------------------

    /** DescribeTransactions of one id: its state, or the error of its partition. */
    public CompletableFuture<Optional<TransactionMetadata>> describe(String transactionalId) {
        return runtime.scheduleRead(partitionFor(transactionalId), "describe-transactions", (shard, now) -> shard.describe(transactionalId));
    }

    /** What ListTransactions found, and the error of a partition that could not be listed (loading). */
    public record Listed(Errors error, List<TransactionMetadata> transactions) {
    }

    public CompletableFuture<Listed> list(Set<TransactionState> states, Set<Long> producerIds, long minDurationMs) {
        List<CompletableFuture<List<TransactionMetadata>>> perShard = new ArrayList<>();
        for (Integer partition : runtime.hostedPartitions()) {
            perShard.add(runtime.scheduleRead(partition, "list-transactions",
                (shard, now) -> shard.list(states, producerIds, minDurationMs, now)));
        }
        return CompletableFuture.allOf(perShard.toArray(CompletableFuture[]::new)).handle((ignored, failure) -> {
            List<TransactionMetadata> all = new ArrayList<>();
            Errors error = Errors.NONE;
            for (CompletableFuture<List<TransactionMetadata>> shard : perShard) {
                try {
                    all.addAll(shard.join());
                } catch (RuntimeException e) {
                    Errors shardError = toError(e, "ListTransactions");
                    if (shardError != Errors.NOT_COORDINATOR && error == Errors.NONE) {
                        error = shardError;
                    }
                }
            }
            return new Listed(error, all);
        });
    }

    /** Stops the shards, then the marker thread, waiting for a marker being written (the logs close next). */
    @Override
    public void close() {
        runtime.close();
        markerThread.shutdownNow();
        try {
            markerThread.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- markers -------------------------------------------------------------------------------

    /** Writes the Complete record; a failed write is tried again while this broker still coordinates the transaction. */
    private void complete(TxnMarkers markers) {
        runtime.scheduleWrite(markers.statePartition(), "complete-txn", (shard, now) -> shard.completeTransaction(markers, now))
            .whenComplete((ignored, failure) -> {
                if (failure != null && coordinates(markers)) {
                    try {
                        markerThread.schedule(() -> complete(markers), TxnConfig.MARKER_RETRY_BACKOFF_MS, TimeUnit.MILLISECONDS);
                    } catch (RejectedExecutionException stopping) {
                        // The broker is stopping: the next load finishes the transaction.
                    }
                }
            });
    }

    private boolean coordinates(TxnMarkers markers) {
        return runtime.status(markers.statePartition()) == CoordinatorRuntime.ShardStatus.ACTIVE
            && coordinatorEpochs.getOrDefault(markers.statePartition(), -1) == markers.coordinatorEpoch();
    }

    private boolean partitionExists(TopicPartition partition) {
        TopicImage topicImage = image.get().topics().topic(partition.topic());
        return topicImage != null && topicImage.partition(partition.partition()) != null;
    }

    private static Errors toError(Throwable failure, String operation) {
        return GroupErrors.toError(failure, operation + " on " + STATE_TOPIC);
    }

}
