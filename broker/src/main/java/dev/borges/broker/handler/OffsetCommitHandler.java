package dev.borges.broker.handler;

import dev.borges.broker.group.ClientContext;
import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.broker.network.RequestContext;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.OffsetCommitRequestData;
import dev.borges.protocol.message.OffsetCommitResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * OffsetCommit: partitions of topics that do not exist answer {@code UNKNOWN_TOPIC_OR_PARTITION}
 * (version 10 names topics by id: {@code UNKNOWN_TOPIC_ID}); the rest go to the group coordinator,
 * which checks the committer against the group and stores the offsets in {@code __consumer_offsets}.
 */
public final class OffsetCommitHandler implements ApiHandler<OffsetCommitRequestData, OffsetCommitResponseData> {
    private final GroupCoordinator groups;
    private final Supplier<MetadataImage> image;

    public OffsetCommitHandler(GroupCoordinator groups, Supplier<MetadataImage> image) {
        this.groups = groups;
        this.image = image;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> handle(RequestContext context, OffsetCommitRequestData request) {
        return commit(GroupRequests.client(context), request);
    }

    @Override
    public CompletableFuture<OffsetCommitResponseData> handle(RequestHeader header, OffsetCommitRequestData request) {
        return commit(GroupRequests.client(header), request);
    }

    private CompletableFuture<OffsetCommitResponseData> commit(ClientContext client, OffsetCommitRequestData request) {
        boolean byId = client.apiVersion() >= 10;
        MetadataImage metadata = image.get();
        List<OffsetCommitResponseData.OffsetCommitResponseTopic> refused = new ArrayList<>();
        List<OffsetCommitRequestData.OffsetCommitRequestTopic> known = new ArrayList<>();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            TopicImage topicImage = byId ? metadata.topics().topic(topic.topicId()) : metadata.topics().topic(topic.name());
            // Name and id both resolved: consumer groups check commits by topic id (assignment epochs).
            OffsetCommitRequestData.OffsetCommitRequestTopic valid = new OffsetCommitRequestData.OffsetCommitRequestTopic()
                .setName(topicImage == null ? topic.name() : topicImage.name())
                .setTopicId(topicImage == null ? topic.topicId() : topicImage.id());
            OffsetCommitResponseData.OffsetCommitResponseTopic invalid = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.topicId());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                if (topicImage != null && topicImage.partition(partition.partitionIndex()) != null) {
                    valid.partitions().add(partition);
                } else {
                    Errors error = topicImage == null && byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
                    invalid.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code));
                }
            }
            if (!valid.partitions().isEmpty()) {
                known.add(valid);
            }
            if (!invalid.partitions().isEmpty()) {
                refused.add(invalid);
            }
        }
        if (known.isEmpty()) {
            return CompletableFuture.completedFuture(new OffsetCommitResponseData().setTopics(refused));
        }
        OffsetCommitRequestData toCommit = new OffsetCommitRequestData()
            .setGroupId(request.groupId())
            .setGenerationIdOrMemberEpoch(request.generationIdOrMemberEpoch())
            .setMemberId(request.memberId())
            .setGroupInstanceId(request.groupInstanceId())
            .setRetentionTimeMs(request.retentionTimeMs())
            .setTopics(known);
        return groups.commitOffsets(client, toCommit).handle((response, failure) -> {
            OffsetCommitResponseData answer = failure == null ? response : failedAll(toCommit,
                GroupErrors.toError(failure, "OffsetCommit", true));
            answer.topics().addAll(refused);
            return answer;
        });
    }

    private static OffsetCommitResponseData failedAll(OffsetCommitRequestData request, Errors error) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : request.topics()) {
            OffsetCommitResponseData.OffsetCommitResponseTopic topicResponse = new OffsetCommitResponseData.OffsetCommitResponseTopic()
                .setName(topic.name())
                .setTopicId(topic.topicId());
            for (OffsetCommitRequestData.OffsetCommitRequestPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                    .setPartitionIndex(partition.partitionIndex()).setErrorCode(error.code));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }
}
