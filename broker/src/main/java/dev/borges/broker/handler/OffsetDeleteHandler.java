package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.OffsetDeleteRequestData;
import dev.borges.protocol.message.OffsetDeleteResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * OffsetDelete: deletes a group's committed offsets of topics none of its members consumes
 * ({@code GROUP_SUBSCRIBED_TO_TOPIC} for the others; {@code GROUP_ID_NOT_FOUND},
 * {@code NON_EMPTY_GROUP} for the group). Unknown topics and partitions answer
 * {@code UNKNOWN_TOPIC_OR_PARTITION}.
 */
public final class OffsetDeleteHandler implements ApiHandler<OffsetDeleteRequestData, OffsetDeleteResponseData> {
    private final GroupCoordinator groups;
    private final Supplier<MetadataImage> image;

    public OffsetDeleteHandler(GroupCoordinator groups, Supplier<MetadataImage> image) {
        this.groups = groups;
        this.image = image;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_DELETE;
    }

    @Override
    public CompletableFuture<OffsetDeleteResponseData> handle(RequestHeader header, OffsetDeleteRequestData request) {
        MetadataImage metadata = image.get();
        List<OffsetDeleteResponseData.OffsetDeleteResponseTopic> refused = new ArrayList<>();
        OffsetDeleteRequestData known = new OffsetDeleteRequestData().setGroupId(request.groupId());
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic topic : request.topics()) {
            TopicImage topicImage = metadata.topics().topic(topic.name());
            OffsetDeleteRequestData.OffsetDeleteRequestTopic valid = new OffsetDeleteRequestData.OffsetDeleteRequestTopic()
                .setName(topic.name());
            OffsetDeleteResponseData.OffsetDeleteResponseTopic invalid = new OffsetDeleteResponseData.OffsetDeleteResponseTopic()
                .setName(topic.name());
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition partition : topic.partitions()) {
                if (topicImage != null && topicImage.partition(partition.partitionIndex()) != null) {
                    valid.partitions().add(partition);
                } else {
                    invalid.partitions().add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                        .setPartitionIndex(partition.partitionIndex()).setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code));
                }
            }
            if (!valid.partitions().isEmpty()) {
                known.topics().add(valid);
            }
            if (!invalid.partitions().isEmpty()) {
                refused.add(invalid);
            }
        }
        return groups.deleteOffsets(known).handle((response, failure) -> {
            if (failure != null) {
                return new OffsetDeleteResponseData().setErrorCode(GroupErrors.toError(failure, "OffsetDelete").code);
            }
            if (response.errorCode() == Errors.NONE.code) {
                response.topics().addAll(refused);
            }
            return response;
        });
    }
}
