package dev.borges.broker.handler;

import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DeleteRecordsRequestData;
import dev.borges.protocol.message.DeleteRecordsResponseData;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteRecords (the Admin client's {@code deleteRecords()}): per partition, moves the log start
 * offset up to the requested offset ({@link dev.borges.storage.log.PartitionLog#advanceLogStartOffset}),
 * so records below it can no longer be read and whole segments below it are deleted; answers the
 * partition's low watermark (its new log start offset). Offset -1 means the high watermark.
 *
 * <p>Errors, as in Kafka: a partition this broker does not lead is {@code UNKNOWN_TOPIC_OR_PARTITION};
 * an offset below -1 or beyond the high watermark is {@code OFFSET_OUT_OF_RANGE}; a topic without
 * {@code delete} in its {@code cleanup.policy} is {@code POLICY_VIOLATION}. An offset below the
 * current log start changes nothing. With a replication factor of one the low watermark is this
 * log's, so the answer needs no waiting for followers. Stateless; runs on the event loop.
 */
public final class DeleteRecordsHandler implements ApiHandler<DeleteRecordsRequestData, DeleteRecordsResponseData> {
    /** The offset that stands for the high watermark ({@code DeleteRecordsRequest.HIGH_WATERMARK}). */
    static final long HIGH_WATERMARK = -1L;

    private final PartitionManager partitions;

    public DeleteRecordsHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_RECORDS;
    }

    @Override
    public CompletableFuture<DeleteRecordsResponseData> handle(RequestHeader header, DeleteRecordsRequestData request) {
        DeleteRecordsResponseData response = new DeleteRecordsResponseData();
        for (DeleteRecordsRequestData.DeleteRecordsTopic topic : request.topics()) {
            DeleteRecordsResponseData.DeleteRecordsTopicResult result = new DeleteRecordsResponseData.DeleteRecordsTopicResult()
                .setName(topic.name());
            for (DeleteRecordsRequestData.DeleteRecordsPartition partition : topic.partitions()) {
                result.partitions().add(delete(new TopicPartition(topic.name(), partition.partitionIndex()), partition.offset()));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private DeleteRecordsResponseData.DeleteRecordsPartitionResult delete(TopicPartition topicPartition, long requestedOffset) {
        DeleteRecordsResponseData.DeleteRecordsPartitionResult result = new DeleteRecordsResponseData.DeleteRecordsPartitionResult()
            .setPartitionIndex(topicPartition.partition())
            .setLowWatermark(-1L);
        try {
            Partition partition = partitions.leader(topicPartition);
            if (!partition.log().config().delete()) {
                return result.setErrorCode(Errors.POLICY_VIOLATION.code);
            }
            long offset = requestedOffset == HIGH_WATERMARK ? partition.highWatermark() : requestedOffset;
            if (offset < 0) {
                throw new StorageException(Errors.OFFSET_OUT_OF_RANGE, "Cannot delete records of " + topicPartition
                    + " up to offset " + requestedOffset);
            }
            partition.log().advanceLogStartOffset(offset);
            return result.setErrorCode(Errors.NONE.code).setLowWatermark(partition.log().logStartOffset());
        } catch (RuntimeException e) {
            return result.setErrorCode(HandlerErrors.toError(e, "DeleteRecords for " + topicPartition).code);
        }
    }
}
