package dev.borges.broker.handler;

import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.OffsetForLeaderEpochRequestData;
import dev.borges.protocol.message.OffsetForLeaderEpochResponseData;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.epoch.EpochEndOffset;
import java.util.concurrent.CompletableFuture;

/**
 * OffsetForLeaderEpoch: per partition, the largest leader epoch at most the requested one and the
 * offset where it ended ({@link dev.borges.storage.log.PartitionLog#endOffsetForEpoch}); the log end
 * for the current epoch, epoch and offset -1 when the leader-epoch cache cannot tell. Followers use
 * it to truncate after a leader change; consumers (KIP-320) to detect that their position was
 * truncated away, after a metadata change or an {@code OffsetOutOfRange}.
 *
 * <p>The request names the leader epoch the client believes current; {@link LeaderEpochCheck}
 * fences stale ({@code FENCED_LEADER_EPOCH}) and future ({@code UNKNOWN_LEADER_EPOCH}) ones. A
 * partition this broker does not lead is {@code UNKNOWN_TOPIC_OR_PARTITION}. Stateless.
 */
public final class OffsetForLeaderEpochHandler
    implements ApiHandler<OffsetForLeaderEpochRequestData, OffsetForLeaderEpochResponseData> {
    private final PartitionManager partitions;

    public OffsetForLeaderEpochHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.OFFSET_FOR_LEADER_EPOCH;
    }

    @Override
    public CompletableFuture<OffsetForLeaderEpochResponseData> handle(RequestHeader header, OffsetForLeaderEpochRequestData request) {
        OffsetForLeaderEpochResponseData response = new OffsetForLeaderEpochResponseData();
        for (OffsetForLeaderEpochRequestData.OffsetForLeaderTopic topic : request.topics()) {
            OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult result = new OffsetForLeaderEpochResponseData.OffsetForLeaderTopicResult()
                .setTopic(topic.topic());
            for (OffsetForLeaderEpochRequestData.OffsetForLeaderPartition partition : topic.partitions()) {
                result.partitions().add(lookUp(new TopicPartition(topic.topic(), partition.partition()), partition));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private OffsetForLeaderEpochResponseData.EpochEndOffset lookUp(TopicPartition topicPartition,
                                                                   OffsetForLeaderEpochRequestData.OffsetForLeaderPartition request) {
        OffsetForLeaderEpochResponseData.EpochEndOffset result = new OffsetForLeaderEpochResponseData.EpochEndOffset()
            .setPartition(request.partition())
            .setLeaderEpoch(EpochEndOffset.UNDEFINED_EPOCH)
            .setEndOffset(EpochEndOffset.UNDEFINED_EPOCH_OFFSET);
        try {
            Partition partition = partitions.leader(topicPartition);
            Errors fenced = LeaderEpochCheck.check(request.currentLeaderEpoch(), partition.leaderEpoch());
            if (fenced != Errors.NONE) {
                return result.setErrorCode(fenced.code);
            }
            EpochEndOffset found = partition.log().endOffsetForEpoch(request.leaderEpoch());
            return result.setErrorCode(Errors.NONE.code).setLeaderEpoch(found.epoch()).setEndOffset(found.endOffset());
        } catch (RuntimeException e) {
            return result.setErrorCode(HandlerErrors.toError(e, "OffsetForLeaderEpoch for " + topicPartition).code);
        }
    }
}
