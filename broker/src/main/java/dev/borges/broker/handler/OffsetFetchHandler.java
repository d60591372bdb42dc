package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.OffsetFetchRequestData;
import dev.borges.protocol.message.OffsetFetchResponseData;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * OffsetFetch: a group's committed offsets, -1 where it has none, or all of them when no topics are
 * named. Versions 8+ ask for several groups at once; version 9 names the member (a member of a
 * consumer group must send its current epoch: {@code STALE_MEMBER_EPOCH} otherwise); version 10
 * names topics by id. A group's
 * error is reported per group (8+), at the top (2-7), or in every partition (1). With
 * {@code require_stable} (7+), a partition whose offset is pending in an open transaction answers
 * {@code UNSTABLE_OFFSET_COMMIT} (the client retries until the transaction ends); without, it
 * answers the last committed offset.
 */
public final class OffsetFetchHandler implements ApiHandler<OffsetFetchRequestData, OffsetFetchResponseData> {
    private final GroupCoordinator groups;
    private final Supplier<MetadataImage> image;

    public OffsetFetchHandler(GroupCoordinator groups, Supplier<MetadataImage> image) {
        this.groups = groups;
        this.image = image;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_FETCH;
    }

    @Override
    public CompletableFuture<OffsetFetchResponseData> handle(RequestHeader header, OffsetFetchRequestData request) {
        short version = header.apiVersion();
        if (version >= 8) {
            List<CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup>> answers = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestGroup group : request.groups()) {
                answers.add(fetch(group.groupId(), version >= 9 ? group.memberId() : null, version >= 9 ? group.memberEpoch() : -1,
                    group.topics(), version >= 10, request.requireStable()));
            }
            return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenApply(ignored -> new OffsetFetchResponseData().setGroups(answers.stream().map(CompletableFuture::join).toList()));
        }
        List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics = null;
        if (request.topics() != null) {
            topics = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopic topic : request.topics()) {
                topics.add(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topic.name())
                    .setPartitionIndexes(topic.partitionIndexes()));
            }
        }
        List<OffsetFetchRequestData.OffsetFetchRequestTopics> requested = topics;
        return fetch(request.groupId(), null, -1, topics, false, request.requireStable())
            .thenApply(group -> single(group, requested, version));
    }

    private CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup> fetch(String groupId, String memberId, int memberEpoch,
                                                                                     List<OffsetFetchRequestData.OffsetFetchRequestTopics> topics,
                                                                                     boolean byId, boolean requireStable) {
        MetadataImage metadata = image.get();
        List<OffsetFetchResponseData.OffsetFetchResponseTopics> unknown = new ArrayList<>();
        List<OffsetFetchRequestData.OffsetFetchRequestTopics> named = topics;
        if (byId && topics != null) {
            named = new ArrayList<>();
            for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : topics) {
                TopicImage topicImage = metadata.topics().topic(topic.topicId());
                if (topicImage == null) {
                    OffsetFetchResponseData.OffsetFetchResponseTopics missing = new OffsetFetchResponseData.OffsetFetchResponseTopics()
                        .setTopicId(topic.topicId());
                    for (Integer partition : topic.partitionIndexes()) {
                        missing.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartitions().setPartitionIndex(partition)
                            .setCommittedOffset(-1).setMetadata("").setErrorCode(Errors.UNKNOWN_TOPIC_ID.code));
                    }
                    unknown.add(missing);
                } else {
                    named.add(new OffsetFetchRequestData.OffsetFetchRequestTopics().setName(topicImage.name()).setTopicId(topic.topicId())
                        .setPartitionIndexes(topic.partitionIndexes()));
                }
            }
        }
        return groups.fetchOffsets(groupId, memberId, memberEpoch, named, requireStable).handle((group, failure) -> {
            if (failure != null) {
                return new OffsetFetchResponseData.OffsetFetchResponseGroup().setGroupId(groupId)
                    .setErrorCode(GroupErrors.toError(failure, "OffsetFetch").code);
            }
            if (byId) {
                List<OffsetFetchResponseData.OffsetFetchResponseTopics> withIds = new ArrayList<>();
                for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : group.topics()) {
                    TopicImage topicImage = metadata.topics().topic(topic.name());
                    if (topicImage != null) {
                        withIds.add(topic.setTopicId(topicImage.id()));
                    } else if (!Uuid.ZERO.equals(topic.topicId())) {
                        withIds.add(topic); // named by id in the request: answer it under that id
                    }
                }
                withIds.addAll(unknown);
                group.setTopics(withIds);
            }
            return group;
        });
    }

    /** The answer for one group in the layout of versions 1-7. */
    private static OffsetFetchResponseData single(OffsetFetchResponseData.OffsetFetchResponseGroup group,
                                                 List<OffsetFetchRequestData.OffsetFetchRequestTopics> requested, short version) {
        OffsetFetchResponseData response = new OffsetFetchResponseData();
        if (group.errorCode() != Errors.NONE.code) {
            if (version >= 2) {
                return response.setErrorCode(group.errorCode());
            }
            // Version 1 has no top-level error: each requested partition carries it.
            for (OffsetFetchRequestData.OffsetFetchRequestTopics topic : requested == null ? List.<OffsetFetchRequestData.OffsetFetchRequestTopics>of()
                : requested) {
                OffsetFetchResponseData.OffsetFetchResponseTopic failed = new OffsetFetchResponseData.OffsetFetchResponseTopic()
                    .setName(topic.name());
                for (Integer partition : topic.partitionIndexes()) {
                    failed.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition().setPartitionIndex(partition)
                        .setCommittedOffset(-1).setMetadata("").setErrorCode(group.errorCode()));
                }
                response.topics().add(failed);
            }
            return response;
        }
        for (OffsetFetchResponseData.OffsetFetchResponseTopics topic : group.topics()) {
            OffsetFetchResponseData.OffsetFetchResponseTopic converted = new OffsetFetchResponseData.OffsetFetchResponseTopic()
                .setName(topic.name());
            for (OffsetFetchResponseData.OffsetFetchResponsePartitions partition : topic.partitions()) {
                converted.partitions().add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                    .setPartitionIndex(partition.partitionIndex())
                    .setCommittedOffset(partition.committedOffset())
                    .setCommittedLeaderEpoch(partition.committedLeaderEpoch())
                    .setMetadata(partition.metadata())
                    .setErrorCode(partition.errorCode()));
            }
            response.topics().add(converted);
        }
        return response.setErrorCode(Errors.NONE.code);
    }
}
