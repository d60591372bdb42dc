package dev.borges.broker.handler;

import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ListOffsetsRequestData;
import dev.borges.protocol.message.ListOffsetsResponseData;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.TimestampLookup;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets: per partition, the earliest offset (-2), the latest (-1), the record with the largest
 * timestamp (-3), the earliest local (-4), or the first record whose timestamp is at least a given
 * time. Consumers only see offsets below the high watermark, or below the last stable offset with
 * {@code isolation_level} READ_COMMITTED (1): the latest offset is that bound, and a timestamp
 * search finding nothing below it answers offset -1. A follower ({@code replicaId >= 0}) sees up
 * to the log end.
 */
public final class ListOffsetsHandler implements ApiHandler<ListOffsetsRequestData, ListOffsetsResponseData> {
    /** ListOffsets -5 (KIP-1005): the highest offset in tiered storage. */
    private static final long LATEST_TIERED_TIMESTAMP = -5L;
    /** {@code isolation_level} of a consumer that reads only committed records. */
    private static final byte READ_COMMITTED = 1;

    private final PartitionManager partitions;

    public ListOffsetsHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_OFFSETS;
    }

    @Override
    public CompletableFuture<ListOffsetsResponseData> handle(RequestHeader header, ListOffsetsRequestData request) {
        boolean follower = request.replicaId() >= 0;
        boolean readCommitted = request.isolationLevel() == READ_COMMITTED;
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse = new ListOffsetsResponseData.ListOffsetsTopicResponse()
                .setName(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                ListOffsetsResponseData.ListOffsetsPartitionResponse result =
                    lookUp(new TopicPartition(topic.name(), partition.partitionIndex()), partition, follower, readCommitted);
                if (header.apiVersion() < 4) {
                    result.setLeaderEpoch(-1); // the field (not ignorable) arrived in version 4
                }
                topicResponse.partitions().add(result);
            }
            response.topics().add(topicResponse);
        }
        return CompletableFuture.completedFuture(response);
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse lookUp(TopicPartition topicPartition,
                                                                      ListOffsetsRequestData.ListOffsetsPartition request,
                                                                      boolean follower, boolean readCommitted) {
        ListOffsetsResponseData.ListOffsetsPartitionResponse result = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
            .setPartitionIndex(request.partitionIndex());
        try {
            Partition partition = partitions.leader(topicPartition);
            Errors fenced = LeaderEpochCheck.check(request.currentLeaderEpoch(), partition.leaderEpoch());
            if (fenced != Errors.NONE) {
                return result.setErrorCode(fenced.code);
            }
            long visibleEnd = follower ? partition.log().logEndOffset()
                : readCommitted ? partition.lastStableOffset() : partition.highWatermark();
            long target = request.timestamp();
            if (target == LATEST_TIERED_TIMESTAMP) {
                // without tiered storage nothing is tiered: Kafka answers "no such offset"
                return result.setErrorCode(Errors.NONE.code).setTimestamp(-1).setOffset(-1).setLeaderEpoch(-1);
            }
            Optional<TimestampLookup> found = target == TimestampLookup.LATEST_TIMESTAMP
                ? Optional.of(new TimestampLookup(-1L, visibleEnd))
                : partition.log().offsetForTimestamp(target);
            if (found.isEmpty() || found.get().offset() > visibleEnd
                || (found.get().offset() == visibleEnd && target != TimestampLookup.LATEST_TIMESTAMP
                    && target != TimestampLookup.EARLIEST_TIMESTAMP && target != TimestampLookup.EARLIEST_LOCAL_TIMESTAMP)) {
                return result.setErrorCode(Errors.NONE.code).setTimestamp(-1).setOffset(-1).setLeaderEpoch(-1);
            }
            long offset = found.get().offset();
            int epoch = offset == visibleEnd ? partition.leaderEpoch() : partition.log().leaderEpochForOffset(offset).orElse(-1);
            return result.setErrorCode(Errors.NONE.code).setTimestamp(found.get().timestamp()).setOffset(offset).setLeaderEpoch(epoch);
        } catch (RuntimeException e) {
            return result.setErrorCode(HandlerErrors.toError(e, "ListOffsets for " + topicPartition).code);
        }
    }
}
