package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.TxnOffsetCommitRequestData;
import dev.borges.protocol.message.TxnOffsetCommitResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * TxnOffsetCommit (KIP-98, KIP-447): a transactional producer commits a consumer group's offsets
 * inside its transaction ({@code sendOffsetsToTransaction}). Partitions of topics that do not exist
 * answer {@code UNKNOWN_TOPIC_OR_PARTITION}; the rest go to the group coordinator, which checks the
 * committer against the group and writes the offsets to {@code __consumer_offsets} as a
 * transactional batch of the producer: they stay pending until the transaction's marker.
 *
 * <p>Versions 0-4 are served: those the Java client sends with transactions version 1, where it
 * first adds the group to its transaction with AddOffsetsToTxn. Versions 5+ (transactions version
 * 2, KIP-890) leave that to the group coordinator, which would have to add the offsets partition
 * to the transaction itself.
 */
public final class TxnOffsetCommitHandler implements ApiHandler<TxnOffsetCommitRequestData, TxnOffsetCommitResponseData> {
    /** The highest version served (see the class comment). */
    public static final short MAX_VERSION = 4;

    private final GroupCoordinator groups;
    private final Supplier<MetadataImage> image;

    public TxnOffsetCommitHandler(GroupCoordinator groups, Supplier<MetadataImage> image) {
        this.groups = groups;
        this.image = image;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.TXN_OFFSET_COMMIT;
    }

    @Override
    public CompletableFuture<TxnOffsetCommitResponseData> handle(RequestHeader header, TxnOffsetCommitRequestData request) {
        MetadataImage metadata = image.get();
        List<TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic> refused = new ArrayList<>();
        List<TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic> known = new ArrayList<>();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TopicImage topicImage = metadata.topics().topic(topic.name());
            // With its id: consumer groups check commits by topic id (assignment epochs).
            TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic valid = new TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic()
                .setName(topic.name())
                .setTopicId(topicImage == null ? topic.topicId() : topicImage.id());
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic invalid = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                .setName(topic.name());
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition : topic.partitions()) {
                if (topicImage != null && topicImage.partition(partition.partitionIndex()) != null) {
                    valid.partitions().add(partition);
                } else {
                    invalid.partitions().add(partitionError(partition, Errors.UNKNOWN_TOPIC_OR_PARTITION));
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
            return CompletableFuture.completedFuture(new TxnOffsetCommitResponseData().setTopics(refused));
        }
        TxnOffsetCommitRequestData toCommit = new TxnOffsetCommitRequestData()
            .setTransactionalId(request.transactionalId())
            .setGroupId(request.groupId())
            .setProducerId(request.producerId())
            .setProducerEpoch(request.producerEpoch())
            .setGenerationIdOrMemberEpoch(request.generationIdOrMemberEpoch())
            .setMemberId(request.memberId())
            .setGroupInstanceId(request.groupInstanceId())
            .setTopics(known);
        return groups.commitTransactionalOffsets(toCommit).handle((response, failure) -> {
            TxnOffsetCommitResponseData answer = failure == null ? response
                : failedAll(toCommit, GroupErrors.toError(failure, "TxnOffsetCommit", true));
            answer.topics().addAll(refused);
            return answer;
        });
    }

    private static TxnOffsetCommitResponseData failedAll(TxnOffsetCommitRequestData request, Errors error) {
        TxnOffsetCommitResponseData response = new TxnOffsetCommitResponseData();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : request.topics()) {
            TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic topicResponse = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic()
                .setName(topic.name());
            topic.partitions().forEach(partition -> topicResponse.partitions().add(partitionError(partition, error)));
            response.topics().add(topicResponse);
        }
        return response;
    }

    private static TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition partitionError(
        TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition partition, Errors error) {
        return new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
            .setPartitionIndex(partition.partitionIndex())
            .setErrorCode(error.code);
    }
}
