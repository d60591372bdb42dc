package dev.borges.broker.group;

import dev.borges.broker.coordinator.CoordinatorEventLoop;
import dev.borges.broker.coordinator.CoordinatorException;
import dev.borges.broker.coordinator.CoordinatorRuntime;
import dev.borges.broker.coordinator.InternalTopic;
import dev.borges.broker.coordinator.PartitionCoordinatorLog;
import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionLeadershipListener;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.metadata.controller.NewTopic;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.message.DeleteGroupsResponseData;
import dev.borges.protocol.message.DescribeGroupsResponseData;
import dev.borges.protocol.message.HeartbeatRequestData;
import dev.borges.protocol.message.HeartbeatResponseData;
import dev.borges.protocol.message.JoinGroupRequestData;
import dev.borges.protocol.message.JoinGroupResponseData;
import dev.borges.protocol.message.LeaveGroupRequestData;
import dev.borges.protocol.message.LeaveGroupResponseData;
import dev.borges.protocol.message.ListGroupsResponseData;
import dev.borges.protocol.message.OffsetCommitRequestData;
import dev.borges.protocol.message.OffsetCommitResponseData;
import dev.borges.protocol.message.OffsetDeleteRequestData;
import dev.borges.protocol.message.OffsetDeleteResponseData;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import dev.borges.protocol.message.SyncGroupRequestData;
import dev.borges.protocol.message.SyncGroupResponseData;
import dev.borges.protocol.message.TxnOffsetCommitRequestData;
import dev.borges.protocol.message.TxnOffsetCommitResponseData;
import dev.borges.storage.StorageException;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group coordinator: where the request handlers for groups and committed offsets go. It finds
 * the {@code __consumer_offsets} partition a group belongs to ({@code abs(groupId.hashCode()) %
 * partitions}, as Kafka), and runs the request on that partition's shard
 * ({@link GroupCoordinatorShard}) in the {@link CoordinatorRuntime}. This broker coordinates the
 * groups of the partitions it leads: a shard is loaded when the broker becomes leader of a
 * partition ({@link #onBecomeLeader}) and dropped when it stops ({@link #onResign}); other groups
 * answer {@code NOT_COORDINATOR}, and groups whose partition is loading
 * {@code COORDINATOR_LOAD_IN_PROGRESS}.
 *
 * <p>{@code __consumer_offsets} is created through the controller on the first FindCoordinator, as
 * in Kafka ({@link #ensureOffsetsTopic}): compacted, {@code offsets.topic.num.partitions}
 * partitions, {@code offsets.topic.replication.factor} replicas (at most the registered brokers).
 *
 * <p>Threading: thread-safe; handlers call it from the network threads, the metadata publisher
 * from the controller's apply thread. Work happens on the runtime's shard threads.
 */
public final class GroupCoordinator implements PartitionLeadershipListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinator.class);

    public static final String OFFSETS_TOPIC = "__consumer_offsets";

    private final GroupConfig config;
    private final CoordinatorRuntime<GroupCoordinatorShard> runtime;
    private final InternalTopic topic;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final ScheduledExecutorService timer;

    /**
     * @param image the broker's latest metadata image
     * @param topicCreator creates a topic through the controller; the future completes once it is committed
     * @param fetchPurgatory fetches to wake after writing to {@code __consumer_offsets}
     * @param timer the broker's timer (re-checks of the high watermark for writes waiting to commit)
     */
    public GroupCoordinator(GroupConfig config, CoordinatorRuntime<GroupCoordinatorShard> runtime, Supplier<MetadataImage> image,
                            Function<NewTopic, CompletableFuture<?>> topicCreator, Purgatory<TopicPartition> fetchPurgatory,
                            ScheduledExecutorService timer) {
        this.config = config;
        this.runtime = runtime;
        this.topic = new InternalTopic(OFFSETS_TOPIC, config.offsetsTopicPartitions(), image, topicCreator);
        this.fetchPurgatory = fetchPurgatory;
        this.timer = timer;
    }

    /** A coordinator with its own runtime on {@code group.coordinator.threads} threads. */
    public static GroupCoordinator start(GroupConfig config, Time time, Supplier<MetadataImage> image,
                                         Function<NewTopic, CompletableFuture<?>> topicCreator, Purgatory<TopicPartition> fetchPurgatory,
                                         ScheduledExecutorService timer) {
        List<CoordinatorEventLoop> loops = new ArrayList<>();
        for (int i = 0; i < config.threads(); i++) {
            loops.add(CoordinatorEventLoop.singleThread("group-coordinator-" + i));
        }
        MetadataTopicsViews topics = new MetadataTopicsViews(image);
        CoordinatorRuntime<GroupCoordinatorShard> runtime = new CoordinatorRuntime<>("group-coordinator", time, loops,
            (partition, shardTimer) -> new GroupCoordinatorShard(partition, config, shardTimer, topics));
        return new GroupCoordinator(config, runtime, image, topicCreator, fetchPurgatory, timer);
    }

    public GroupConfig config() {
        return config;
    }

    // ---- which partition, which broker ---------------------------------------------------------

    /** The {@code __consumer_offsets} partition of {@code groupId}. */
    public int partitionFor(String groupId) {
        return topic.partitionFor(groupId);
    }

    /** The {@code __consumer_offsets} partition of {@code groupId}, as a topic partition (what a transaction adds for its offsets). */
    public TopicPartition offsetsPartitionFor(String groupId) {
        return new TopicPartition(OFFSETS_TOPIC, partitionFor(groupId));
    }

    /** The partitions of {@code __consumer_offsets}: as created, or as configured while it does not exist. */
    public int partitionCount() {
        return topic.partitionCount();
    }

    /** The broker leading {@code groupId}'s partition, if the topic exists and the partition has a leader. */
    public OptionalInt coordinatorNode(String groupId) {
        return topic.coordinatorNode(groupId);
    }

    /**
     * Creates {@code __consumer_offsets} unless it exists; completes once it does (whoever created
     * it). Concurrent callers share one creation.
     */
    public CompletableFuture<Void> ensureOffsetsTopic() {
        Map<String, String> configs = new LinkedHashMap<>();
        configs.put(LogConfig.CLEANUP_POLICY, "compact");
        configs.put(LogConfig.SEGMENT_BYTES, Integer.toString(config.offsetsTopicSegmentBytes()));
        configs.put(LogConfig.COMPRESSION_TYPE, "producer");
        return topic.ensureExists(topic.replicationFactor(config.offsetsTopicReplicationFactor()), configs);
    }

    // ---- leadership (from the metadata publisher) ----------------------------------------------

    /** This broker leads {@code partition}; if it is one of {@code __consumer_offsets}, load its groups. */
    @Override
    public void onBecomeLeader(Partition partition) {
        TopicPartition topicPartition = partition.topicPartition();
        if (OFFSETS_TOPIC.equals(topicPartition.topic())) {
            runtime.load(topicPartition.partition(), partition.leaderEpoch(),
                new PartitionCoordinatorLog(partition, fetchPurgatory, config.loadBufferBytes(), timer));
        }
    }

    /** This broker no longer leads {@code topicPartition} (moved or deleted): drop its groups. */
    @Override
    public void onResign(TopicPartition topicPartition) {
        if (OFFSETS_TOPIC.equals(topicPartition.topic())) {
            runtime.unload(topicPartition.partition(), Integer.MAX_VALUE);
        }
    }

    /** Topics were deleted: their committed offsets go too, in every group. */
    @Override
    public void onTopicsDeleted(Collection<String> topics) {
        List<String> deleted = topics.stream().filter(topic -> !OFFSETS_TOPIC.equals(topic)).toList();
        if (!deleted.isEmpty()) {
            runtime.scheduleWriteAll("delete-offsets-of-deleted-topics", (shard, now) -> shard.offsets().deleteTopics(deleted));
        }
    }

    /** Whether every hosted partition is loaded (ListGroups reports COORDINATOR_LOAD_IN_PROGRESS otherwise). */
    public boolean isLoading() {
        return runtime.hostedPartitions().stream().anyMatch(p -> runtime.status(p) == CoordinatorRuntime.ShardStatus.LOADING);
    }

    // ---- classic protocol ----------------------------------------------------------------------

    public CompletableFuture<JoinGroupResponseData> joinGroup(ClientContext client, JoinGroupRequestData request) {
        CompletableFuture<JoinGroupResponseData> response = new CompletableFuture<>();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return failed(Errors.INVALID_GROUP_ID);
        }
        runtime.<Void>scheduleWrite(partitionFor(request.groupId()), "join-group",
                (shard, now) -> shard.joinGroup(client, request, response, now))
            .whenComplete((ignored, error) -> failWith(response, error));
        return response;
    }

    public CompletableFuture<SyncGroupResponseData> syncGroup(ClientContext client, SyncGroupRequestData request) {
        CompletableFuture<SyncGroupResponseData> response = new CompletableFuture<>();
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return failed(Errors.INVALID_GROUP_ID);
        }
        runtime.<Void>scheduleWrite(partitionFor(request.groupId()), "sync-group",
                (shard, now) -> shard.classicGroups().syncGroup(client, request, response, now))
            .whenComplete((ignored, error) -> failWith(response, error));
        return response;
    }

    public CompletableFuture<HeartbeatResponseData> heartbeat(HeartbeatRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return failed(Errors.INVALID_GROUP_ID);
        }
        return runtime.scheduleWrite(partitionFor(request.groupId()), "heartbeat",
            (shard, now) -> shard.classicGroups().heartbeat(request, now));
    }

    public CompletableFuture<LeaveGroupResponseData> leaveGroup(String groupId, List<LeaveGroupRequestData.MemberIdentity> members) {
        if (groupId == null || groupId.isEmpty()) {
            return failed(Errors.INVALID_GROUP_ID);
        }
        return runtime.scheduleWrite(partitionFor(groupId), "leave-group",
            (shard, now) -> shard.classicGroups().leaveGroup(members, groupId, now));
    }

    // ---- offsets -------------------------------------------------------------------------------

    /** OffsetCommit; topics carry names (the handler resolves topic ids and drops unknown topics). */
    public CompletableFuture<OffsetCommitResponseData> commitOffsets(ClientContext client, OffsetCommitRequestData request) {
        return runtime.scheduleWrite(partitionFor(request.groupId()), "offset-commit",
            (shard, now) -> shard.offsets().commit(client, request, now));
    }

    /**
     * TxnOffsetCommit; topics carry names (the handler drops unknown topics). The offsets are
     * written as one transactional batch of the request's producer and stay pending until the
     * transaction coordinator ends the transaction ({@link #completeTransaction}).
     */
    public CompletableFuture<TxnOffsetCommitResponseData> commitTransactionalOffsets(TxnOffsetCommitRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return failed(Errors.INVALID_GROUP_ID);
        }
        return runtime.scheduleWrite(partitionFor(request.groupId()), "txn-offset-commit",
            (shard, now) -> shard.offsets().commitTransactional(request, now));
    }

    /**
     * Ends {@code producerId}'s transaction on {@code offsetsPartition}, a partition of
     * {@code __consumer_offsets} this broker leads: writes the COMMIT ({@code commit}) or ABORT
     * marker on the shard's thread, after every write queued before it, with the producer and
     * coordinator epoch fencing of {@code Partition#appendTxnMarker}; its replay commits or drops
     * the offsets the transaction wrote there. This is what the transaction coordinator's marker
     * path calls for partitions of {@code __consumer_offsets} (as Kafka's WriteTxnMarkers does).
     *
     * @return (never exceptionally) {@code NONE} once the marker is committed, or:
     *     {@code NOT_LEADER_OR_FOLLOWER} when this broker does not coordinate the partition or it is
     *     loading (the coordinator retries, as with Kafka, which turns the group coordinator's own
     *     errors into that one); {@code INVALID_PRODUCER_EPOCH}, {@code TRANSACTION_COORDINATOR_FENCED},
     *     {@code NOT_ENOUGH_REPLICAS}, {@code KAFKA_STORAGE_ERROR} from the append
     * @throws IllegalArgumentException when {@code offsetsPartition} is not of {@code __consumer_offsets}
     */
    public CompletableFuture<Errors> completeTransaction(TopicPartition offsetsPartition, long producerId, short producerEpoch,
                                                        int coordinatorEpoch, boolean commit) {
        if (!OFFSETS_TOPIC.equals(offsetsPartition.topic())) {
            throw new IllegalArgumentException(offsetsPartition + " is not a partition of " + OFFSETS_TOPIC);
        }
        String operation = commit ? "commit-transaction" : "abort-transaction";
        return runtime.scheduleTransactionCompletion(offsetsPartition.partition(), operation, producerId, producerEpoch,
                coordinatorEpoch, commit)
            .handle((ignored, failure) -> failure == null ? Errors.NONE : markerError(failure, operation));
    }

    private static Errors markerError(Throwable failure, String operation) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof CoordinatorException) {
            return Errors.NOT_LEADER_OR_FOLLOWER; // not hosted, loading, or failed to load: the marker is retried
        }
        if (cause instanceof StorageException storage) {
            return storage.error();
        }
        LOG.error("Unexpected error in {}", operation, cause);
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** OffsetFetch of one group; {@code topics} null means every topic it committed for. */
    public CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchOffsets(String groupId,
                                                                                           List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics) {
        return fetchOffsets(groupId, null, -1, topics);
    }

    /**
     * OffsetFetch of one group by a reader that may name itself (v9+: member id and epoch, which a
     * consumer group checks).
     */
    public CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchOffsets(String groupId, String memberId,
                                                                                           int memberEpoch,
                                                                                           List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics) {
        return fetchOffsets(groupId, memberId, memberEpoch, topics, false);
    }

    /**
     * As above; with {@code requireStable} (OffsetFetch v7+) partitions with offsets pending in an
     * open transaction answer {@code UNSTABLE_OFFSET_COMMIT}.
     */
    public CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetchOffsets(String groupId, String memberId,
                                                                                           int memberEpoch,
                                                                                           List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics,
                                                                                           boolean requireStable) {
        return runtime.scheduleRead(partitionFor(groupId), "offset-fetch",
            (shard, now) -> shard.offsets().fetch(groupId, memberId, memberEpoch, topics, requireStable));
    }

    // ---- consumer group protocol (KIP-848) -----------------------------------------------------

    /** ConsumerGroupHeartbeat: answers once the records it wrote are committed. */
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> consumerGroupHeartbeat(ClientContext client,
                                                                                       ConsumerGroupHeartbeatRequestData request) {
        return runtime.scheduleWrite(partitionFor(request.groupId()), "consumer-group-heartbeat",
            (shard, now) -> shard.consumerGroups().heartbeat(client, request, now));
    }

    /**
     * ConsumerGroupDescribe of these groups, in request order. A partition that cannot answer
     * (not coordinated here, loading) gives each of its groups that error.
     */
    public CompletableFuture<List<ConsumerGroupDescribeResponseData.DescribedGroup>> consumerGroupDescribe(List<String> groupIds) {
        Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
        for (String groupId : groupIds) {
            byPartition.computeIfAbsent(partitionFor(groupId), p -> new ArrayList<>()).add(groupId);
        }
        Map<String, CompletableFuture<ConsumerGroupDescribeResponseData.DescribedGroup>> byGroup = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String>> entry : byPartition.entrySet()) {
            List<String> ids = entry.getValue();
            CompletableFuture<List<ConsumerGroupDescribeResponseData.DescribedGroup>> described = runtime.scheduleRead(entry.getKey(),
                "consumer-group-describe", (shard, now) -> shard.consumerGroups().describe(ids));
            for (int i = 0; i < ids.size(); i++) {
                String groupId = ids.get(i);
                int index = i;
                byGroup.put(groupId, described.handle((groups, error) -> error == null ? groups.get(index)
                    : new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId)
                        .setErrorCode(GroupErrors.toError(error, "ConsumerGroupDescribe").code)));
            }
        }
        return CompletableFuture.allOf(byGroup.values().toArray(CompletableFuture[]::new))
            .thenApply(ignored -> groupIds.stream().map(id -> byGroup.get(id).join()).toList());
    }

    public CompletableFuture<OffsetDeleteResponseData> deleteOffsets(OffsetDeleteRequestData request) {
        return runtime.scheduleWrite(partitionFor(request.groupId()), "offset-delete", (shard, now) -> shard.offsets().delete(request));
    }

    // ---- admin ---------------------------------------------------------------------------------

    /** DescribeGroups of one group: null when it does not exist. */
    public CompletableFuture<DescribeGroupsResponseData.DescribedGroup> describeGroup(String groupId) {
        return runtime.scheduleRead(partitionFor(groupId), "describe-groups", (shard, now) -> shard.describeGroup(groupId));
    }

    /** ListGroups over every partition this broker hosts; a partition that cannot answer adds an error. */
    public CompletableFuture<ListedGroups> listGroups(Collection<String> states, Collection<GroupType> types) {
        return runtime.scheduleReadAll("list-groups", (shard, now) -> shard.listGroups(states, types),
                error -> GroupErrors.toError(error, "ListGroups"))
            .thenApply(listed -> new ListedGroups(listed.error(), listed.items()));
    }

    /** What ListGroups found: the groups, and the error of a partition that could not be listed (loading). */
    public record ListedGroups(Errors error, List<ListGroupsResponseData.ListedGroup> groups) {
    }

    public CompletableFuture<List<DeleteGroupsResponseData.DeletableGroupResult>> deleteGroups(List<String> groupIds) {
        Map<Integer, List<String>> byPartition = new LinkedHashMap<>();
        for (String groupId : groupIds) {
            byPartition.computeIfAbsent(partitionFor(groupId), p -> new ArrayList<>()).add(groupId);
        }
        List<CompletableFuture<List<DeleteGroupsResponseData.DeletableGroupResult>>> futures = new ArrayList<>();
        for (Map.Entry<Integer, List<String>> entry : byPartition.entrySet()) {
            List<String> ids = entry.getValue();
            futures.add(runtime.scheduleWrite(entry.getKey(), "delete-groups", (shard, now) -> shard.deleteGroups(ids))
                .exceptionally(error -> {
                    Errors code = GroupErrors.toError(error, "DeleteGroups");
                    return ids.stream().map(id -> new DeleteGroupsResponseData.DeletableGroupResult().setGroupId(id)
                        .setErrorCode(code.code)).toList();
                }));
        }
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
            .thenApply(ignored -> futures.stream().flatMap(f -> f.join().stream()).toList());
    }

    /** Which partitions have a shard (loaded or loading). */
    public Set<Integer> hostedPartitions() {
        return runtime.hostedPartitions();
    }

    @Override
    public void close() {
        runtime.close();
    }

    private static <T> CompletableFuture<T> failed(Errors error) {
        return CompletableFuture.failedFuture(new CoordinatorException(error, error.name()));
    }

    private static <T> void failWith(CompletableFuture<T> response, Throwable error) {
        if (error != null) {
            response.completeExceptionally(error);
        }
    }
}
