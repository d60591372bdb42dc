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
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * Committed offsets of one shard: OffsetCommit, OffsetFetch and OffsetDelete, the periodic expiry
 * of old offsets ({@code offsets.retention.minutes}), and the offsets that go with a deleted group
 * or topic. Writes return records; {@link OffsetStore#replay} applies them.
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
                Errors error = validator.validate(topic.topicId(), partition.partitionIndex());
                if (error == Errors.NONE && partition.committedMetadata() != null
                    && partition.committedMetadata().length() > config.offsetMetadataMaxBytes()) {
                    error = Errors.OFFSET_METADATA_TOO_LARGE;
                }
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

    private static CommitPartitionValidator failingAll(Errors error) {
        return (topicId, partition) -> error;
    }

    // ---- OffsetFetch ---------------------------------------------------------------------------

    /**
     * The group's committed offsets: of the given topics and partitions (-1 where there is none), or
     * of everything it committed when {@code topics} is null. A group that does not exist has none.
     * There are no transactional offsets yet, so nothing is ever pending ({@code require_stable}
     * has nothing to wait for).
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
                topic.getValue().forEach((partition, value) -> topicResponse.partitions().add(partition(partition, value)));
                response.topics().add(topicResponse);
            }
            return response;
        }
        for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : topics) {
            OffsetFetchResponseData.OffsetFetchResponseTopics topicResponse = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                .setName(topic.name())
                .setTopicId(topic.topicId());
            for (Integer partition : topic.partitionIndexes()) {
                topicResponse.partitions().add(partition(partition, store.get(groupId, topic.name(), partition)));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    private static OffsetFetchResponseData.OffsetFetchResponsePartitions partition(int partition, OffsetCommitValue value) {
        OffsetFetchResponseData.OffsetFetchResponsePartitions result = new OffsetFetchResponseData.OffsetFetchResponsePartitions()
            .setPartitionIndex(partition)
            .setErrorCode(Errors.NONE.code);
        if (value == null) {
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
                if (!subscribed && store.get(request.groupId(), topic.name(), partition.partitionIndex()) != null) {
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
        if (offsets.isEmpty()) {
            return true;
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
                if (!subscribed && due) {
                    records.add(GroupRecords.offsetTombstone(groupId, topic.getKey(), partition.getKey()));
                    expired++;
                }
            }
        }
        return expired == total;
    }

    /** Tombstones for every offset of {@code groupId} (the group is being deleted). */
    public void deleteAllOffsets(String groupId, List<CoordinatorRecord> records) {
        store.offsets(groupId).forEach((topic, partitions) -> partitions.keySet()
            .forEach(partition -> records.add(GroupRecords.offsetTombstone(groupId, topic, partition))));
    }

    /** Tombstones for every offset, of any group, of the deleted {@code topics}. */
    public CoordinatorResult<Void> deleteTopics(Collection<String> topics) {
        List<CoordinatorRecord> records = new ArrayList<>();
        for (String groupId : store.groups()) {
            Map<String, Map<Integer, OffsetCommitValue>> offsets = store.offsets(groupId);
            for (String topic : topics) {
                Map<Integer, OffsetCommitValue> partitions = offsets.get(topic);
                if (partitions != null) {
                    partitions.keySet().forEach(partition -> records.add(GroupRecords.offsetTombstone(groupId, topic, partition)));
                }
            }
        }
        return CoordinatorResult.of(records, null);
    }
}
