package dev.borges.broker.group.offsets;

import dev.borges.broker.group.ClientContext;
import dev.borges.broker.group.CommitPartitionValidator;
import dev.borges.broker.group.Group;
import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.record.GroupRecords;
import dev.borges.broker.group.record.OffsetCommitValue;
import dev.borges.broker.coordinator.CoordinatorException;
import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.OffsetCommitRequestData;
import dev.borges.protocol.message.OffsetCommitResponseData;
import dev.borges.protocol.message.OffsetDeleteRequestData;
import dev.borges.protocol.message.OffsetDeleteResponseData;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import dev.borges.protocol.message.TxnOffsetCommitRequestData;
import dev.borges.protocol.message.TxnOffsetCommitResponseData;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongUnaryOperator;

/**
 * Committed offsets of one shard: OffsetCommit, TxnOffsetCommit, OffsetFetch and OffsetDelete, the
 * periodic expiry of old offsets ({@code offsets.retention.minutes}), and the offsets that go with a
 * deleted group or topic. Writes return records; {@link OffsetStore} applies them on replay.
 *
 * <p>Offsets committed in a transaction are pending until the transaction ends (see
 * {@link OffsetStore}). While a partition has a pending offset, as in Kafka: OffsetFetch with
 * {@code require_stable} answers {@code UNSTABLE_OFFSET_COMMIT} for it (without, the last committed
 * offset); its committed offset does not expire, nor does its group while any of its offsets is
 * pending; OffsetDelete, DeleteGroups and topic deletion write a tombstone for it, which drops the
 * pending offset too.
 *
 * <p>Topic names reaching this class exist (the handlers answer unknown topics and partitions
 * themselves, as they can see the metadata). A commit to a group that does not exist, from outside
 * group management (generation -1), creates it when its first record is replayed: an empty classic
 * group that only stores offsets, as in Kafka.
 *
 * <p>Threading: the shard's thread.
 */
public final class OffsetManager {
    private final GroupConfig config;
    private final OffsetStore store;
    private final Map<String, Group> groups;

    public OffsetManager(GroupConfig config, OffsetStore store, Map<String, Group> groups) {
        this.config = config;
        this.store = store;
        this.groups = groups;
    }

    // ---- OffsetCommit --------------------------------------------------------------------------

    public CoordinatorResult<OffsetCommitResponseData> commit(ClientContext client, OffsetCommitRequestData request, long nowMs) {
        CommitPartitionValidator validator = validateCommit(client, request);
        long expireTimestampMs = client.apiVersion() <= 4 && request.retentionTimeMs() >= 0
            ? nowMs + request.retentionTimeMs() : -1L;
        List<CoordinatorRecord> records = new ArrayList<>();
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.topicId());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                Errors error = partitionError(validator.validate(topic.topicId(), partition.partitionIndex()),
                    partition.committedMetadata());
                if (error == Errors.NONE) {
                    records.add(GroupRecords.offsetCommit(request.groupId(), topic.name(), partition.partitionIndex(),
                        new OffsetCommitValue(partition.committedOffset(), partition.committedLeaderEpoch(),
                            partition.committedMetadata(), nowMs, expireTimestampMs)));
                }
                topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(error.code));
            }
            response.topics().add(topicResponse);
        }
        return CoordinatorResult.of(records, response);
    }

    /** The error of the partition's check, or {@code OFFSET_METADATA_TOO_LARGE} for its metadata. */
    private Errors partitionError(Errors validatorError, String metadata) {
        if (validatorError == Errors.NONE && metadata != null && metadata.length() > config.offsetMetadataMaxBytes()) {
            return Errors.OFFSET_METADATA_TOO_LARGE;
        }
        return validatorError;
    }

    /**
     * The check of each partition of the commit: the group's error for all of them, or the
     * group's per-partition check. The request's topic ids must be set (the handler resolves them
     * from the metadata for versions before 10, which send names only).
     */
    private CommitPartitionValidator validateCommit(ClientContext client, OffsetCommitRequestData request) {
        if (request.groupId() == null) {
            return failingAll(Errors.INVALID_GROUP_ID);
        }
        Group group = groups.get(request.groupId());
        int generation = request.generationIdOrMemberEpoch();
        if (group == null) {
            if (generation < 0) {
                return CommitPartitionValidator.NO_OP; // a group that only stores offsets: it comes into being with them
            }
            // Since v9 the answer is the same for both group protocols; before, clients expect ILLEGAL_GENERATION.
            return failingAll(client.apiVersion() >= 9 ? Errors.GROUP_ID_NOT_FOUND : Errors.ILLEGAL_GENERATION);
        }
        try {
            return group.validateOffsetCommit(request.memberId() == null ? "" : request.memberId(), request.groupInstanceId(),
                generation, client.apiVersion());
        } catch (CoordinatorException e) {
            return failingAll(e.error());
        }
    }

    // ---- TxnOffsetCommit ------------------------------------------------------------------------

    /**
     * TxnOffsetCommit: the offsets, written in the transaction of the request's producer (one
     * transactional batch), pending until its marker. The committer is checked against the group as
     * Kafka checks a transactional commit ({@link Group#validateTransactionalOffsetCommit}); a
     * group that does not exist takes commits with generation -1 only (it comes into being with
     * them), else {@code ILLEGAL_GENERATION}. A fenced producer fails the append:
     * {@code INVALID_PRODUCER_EPOCH}.
     */
    public CoordinatorResult<TxnOffsetCommitResponseData> commitTransactional(TxnOffsetCommitRequestData request, long nowMs) {
        CommitPartitionValidator validator = validateTransactionalCommit(request);
        List<CoordinatorRecord> records = new ArrayList<>();
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.topicId());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                Errors error = partitionError(validator.validate(topic.topicId(), partition.partitionIndex()),
                    partition.committedMetadata());
                if (error == Errors.NONE) {
                    records.add(GroupRecords.offsetCommit(request.groupId(), topic.name(), partition.partitionIndex(),
                        new OffsetCommitValue(partition.committedOffset(), partition.committedLeaderEpoch(),
                            partition.committedMetadata(), nowMs, -1L)));
                }
                topicResponse.partitions().add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(error.code));
            }
            response.topics().add(topicResponse);
        }
        return CoordinatorResult.transactional(request.producerId(), request.producerEpoch(), records, response);
    }

    /** As {@link #validateCommit}, for a transactional commit (topic ids resolved by the handler as well). */
    private CommitPartitionValidator validateTransactionalCommit(TxnOffsetCommitRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return failingAll(Errors.INVALID_GROUP_ID);
        }
        if (request.producerId() < 0) {
            return failingAll(Errors.INVALID_PRODUCER_ID_MAPPING); // a transaction needs a producer id
        }
        Group group = groups.get(request.groupId());
        int generation = request.generationIdOrMemberEpoch();
        if (group == null) {
            return generation < 0 ? CommitPartitionValidator.NO_OP : failingAll(Errors.ILLEGAL_GENERATION);
        }
        try {
            return group.validateTransactionalOffsetCommit(request.memberId() == null ? "" : request.memberId(),
                request.groupInstanceId(), generation);
        } catch (CoordinatorException e) {
            return failingAll(e.error());
        }
    }

    private static CommitPartitionValidator failingAll(Errors error) {
        return (topicId, partition) -> error;
    }

    // ---- OffsetFetch ---------------------------------------------------------------------------

    /**
     * The group's committed offsets: of the given topics and partitions (-1 where there is none), or
     * of everything it committed when {@code topics} is null. A group that does not exist has none.
     * Offsets pending in a transaction are not seen (see {@link #fetch(String, String, int, List, boolean)}
     * for {@code require_stable}).
     */
    public OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String groupId,
                                                                 List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics) {
        return fetch(groupId, null, -1, topics);
    }

    /**
     * As {@link #fetch(String, List)}, for a reader that names itself (OffsetFetch v9+): a member
     * of a consumer group must send its current member epoch, or the group answers
     * {@code STALE_MEMBER_EPOCH} (or {@code UNKNOWN_MEMBER_ID}) instead of offsets.
     */
    public OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String groupId, String memberId, int memberEpoch,
                                                                 List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics) {
        return fetch(groupId, memberId, memberEpoch, topics, false);
    }

    /**
     * As {@link #fetch(String, String, int, List)}; with {@code requireStable} (OffsetFetch v7+), a
     * partition with an offset pending in an open transaction answers {@code UNSTABLE_OFFSET_COMMIT}
     * instead of an offset, so the client retries until the transaction ends (KIP-447).
     */
    public OffsetFetchResponseData.OffsetFetchResponseGroup fetch(String groupId, String memberId, int memberEpoch,
                                                                 List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics,
                                                                 boolean requireStable) {
        OffsetFetchResponseData.OffsetFetchResponseGroup response = new OffsetFetchResponseData.OffsetFetchResponseGroup()
            .setGroupId(groupId)
            .setErrorCode(Errors.NONE.code);
        Group group = groups.get(groupId);
        if (group != null) {
            try {
                group.validateOffsetFetch(memberId, memberEpoch);
            } catch (CoordinatorException e) {
                return response.setErrorCode(e.error().code);
            }
        }
        if (topics == null) {
            for (Map.Entry<String, Map<Integer, OffsetCommitValue>> topic : store.offsets(groupId).entrySet()) {
                OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                    .setName(topic.getKey());
                topic.getValue().forEach((partition, value) -> topicResponse.partitions().add(
                    partition(partition, value, requireStable && store.hasPending(groupId, topic.getKey(), partition))));
                response.topics().add(topicResponse);
            }
            return response;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : topics) {
            OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                .setName(topic.name())
                .setTopicId(topic.topicId());
            for (Integer partition : topic.partitionIndexes()) {
                topicResponse.partitions().add(partition(partition, store.get(groupId, topic.name(), partition),
                    requireStable && store.hasPending(groupId, topic.name(), partition)));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartitions partition(int partition, OffsetCommitValue value,
                                                                                  boolean unstable) {
        OffsetFetchResponseData.OffsetFetchResponsePartitions result = new OffsetFetchResponseData.OffsetFetchResponsePartitions()
            .setPartitionIndex(partition)
            .setErrorCode((unstable ? Errors.UNSTABLE_OFFSET_COMMIT : Errors.NONE).code);
        if (value == null || unstable) {
            return result.setCommittedOffset(-1).setCommittedLeaderEpoch(-1).setMetadata("");
        }
        return result.setCommittedOffset(value.offset()).setCommittedLeaderEpoch(value.leaderEpoch()).setMetadata(value.metadata());
    }

    // ---- OffsetDelete --------------------------------------------------------------------------

    /**
     * Deletes offsets of topics no member of the group consumes ({@code GROUP_SUBSCRIBED_TO_TOPIC}
     * for the others). Partitions without an offset answer without error.
     */
    public CoordinatorResult<OffsetDeleteResponseData> delete(OffsetDeleteRequestData request) {
        OffsetDeleteResponseData response = new OffsetDeleteResponseData();
        Group group = groups.get(request.groupId());
        if (group == null) {
            return CoordinatorResult.of(response.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code));
        }
        try {
            group.validateOffsetDelete();
        } catch (CoordinatorException e) {
            return CoordinatorResult.of(response.setErrorCode(e.error().code));
        }
        List<CoordinatorRecord> records = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            OffsetDeleteResponseData.OffsetDeleteResponseTopic topicResponse = new OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                .setName(topic.name());
            boolean subscribed = group.isSubscribedToTopic(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                Errors error = subscribed ? Errors.GROUP_SUBSCRIBED_TO_TOPIC : Errors.NONE;
                if (!subscribed && hasAnyOffset(request.groupId(), topic.name(), partition.partitionIndex())) {
                    records.add(GroupRecords.offsetTombstone(request.groupId(), topic.name(), partition.partitionIndex()));
                }
                topicResponse.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setErrorCode(error.code));
            }
            response.topics().add(topicResponse);
        }
        return CoordinatorResult.of(records, response.setErrorCode(Errors.NONE.code));
    }

    // ---- expiry and deletion -------------------------------------------------------------------

    /**
     * Tombstones for {@code group}'s offsets that outlived {@code offsets.retention.minutes}: of
     * topics it does not consume, counted from the time its {@link Group#offsetRetentionBase} says
     * (or at the expiry a v2-4 commit asked for). Returns whether the group has no offsets left.
     */
    public boolean expireOffsets(Group group, long nowMs, List<CoordinatorRecord> records) {
        String groupId = group.groupId();
        Map<String, Map<Integer, OffsetCommitValue>> offsets = store.offsets(groupId);
        boolean pending = store.hasPending(groupId);
        if (offsets.isEmpty()) {
            return !pending;
        }
        Optional<LongUnaryOperator> base = group.offsetRetentionBase();
        if (base.isEmpty()) {
            return false;
        }
        int total = 0;
        int expired = 0;
        for (Map.Entry<String, Map<Integer, OffsetCommitValue>> topic : offsets.entrySet()) {
            boolean subscribed = group.isSubscribedToTopic(topic.getKey());
            for (Map.Entry<Integer, OffsetCommitValue> partition : topic.getValue().entrySet()) {
                total++;
                OffsetCommitValue value = partition.getValue();
                boolean due = value.expireTimestampMs() >= 0
                    ? nowMs >= value.expireTimestampMs()
                    : nowMs - base.get().applyAsLong(value.commitTimestampMs()) >= config.offsetsRetentionMs();
                if (!subscribed && due && !store.hasPending(groupId, topic.getKey(), partition.getKey())) {
                    records.add(GroupRecords.offsetTombstone(groupId, topic.getKey(), partition.getKey()));
                    expired++;
                }
            }
        }
        return expired == total && !pending;
    }

    /** Tombstones for every offset of {@code groupId}, committed or pending (the group is being deleted). */
    public void deleteAllOffsets(String groupId, List<CoordinatorRecord> records) {
        partitionsWithAnyOffset(groupId).forEach((topic, partitions) -> partitions
            .forEach(partition -> records.add(GroupRecords.offsetTombstone(groupId, topic, partition))));
    }

    /** Tombstones for every offset, committed or pending, of any group, of the deleted {@code topics}. */
    public CoordinatorResult<Void> deleteTopics(Collection<String> topics) {
        List<CoordinatorRecord> records = new ArrayList<>();
        for (String groupId : store.groupsWithAnyOffset()) {
            Map<String, Set<Integer>> offsets = partitionsWithAnyOffset(groupId);
            for (String topic : topics) {
                offsets.getOrDefault(topic, Set.of())
                    .forEach(partition -> records.add(GroupRecords.offsetTombstone(groupId, topic, partition)));
            }
        }
        return CoordinatorResult.of(records, null);
    }

    private boolean hasAnyOffset(String groupId, String topic, int partition) {
        return store.get(groupId, topic, partition) != null || store.hasPending(groupId, topic, partition);
    }

    /** The partitions of {@code groupId} with a committed or a pending offset, by topic in name order. */
    private Map<String, Set<Integer>> partitionsWithAnyOffset(String groupId) {
        Map<String, Set<Integer>> partitions = store.pendingPartitions(groupId);
        store.offsets(groupId).forEach((topic, offsets) -> partitions.computeIfAbsent(topic, t -> new TreeSet<>())
            .addAll(offsets.keySet()));
        return partitions;
    }
}
