package dev.borges.broker.handler;

import dev.borges.broker.partition.PartitionManager;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DescribeProducersRequestData;
import dev.borges.protocol.message.DescribeProducersResponseData;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.producer.ProducerStateEntry;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeProducers (the Admin client's {@code describeProducers()}, KIP-664): per partition, the
 * idempotent and transactional producers with state in its log
 * ({@link dev.borges.storage.log.PartitionLog#activeProducers()}): id, epoch, last sequence, time of
 * the last write, coordinator epoch and the start of an open transaction (-1 when none). A
 * partition this broker does not lead is {@code UNKNOWN_TOPIC_OR_PARTITION}. Stateless; the
 * producer entries are immutable, so reading them off the append lock is safe.
 */
public final class DescribeProducersHandler implements ApiHandler<DescribeProducersRequestData, DescribeProducersResponseData> {
    private final PartitionManager partitions;

    public DescribeProducersHandler(PartitionManager partitions) {
        this.partitions = partitions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_PRODUCERS;
    }

    @Override
    public CompletableFuture<DescribeProducersResponseData> handle(RequestHeader header, DescribeProducersRequestData request) {
        DescribeProducersResponseData response = new DescribeProducersResponseData();
        for (DescribeProducersRequestData.TopicRequest topic : request.topics()) {
            DescribeProducersResponseData.TopicResponse result = new DescribeProducersResponseData.TopicResponse().setName(topic.name());
            for (int partition : topic.partitionIndexes()) {
                result.partitions().add(describe(new TopicPartition(topic.name(), partition)));
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeProducersResponseData.PartitionResponse describe(TopicPartition topicPartition) {
        DescribeProducersResponseData.PartitionResponse result = new DescribeProducersResponseData.PartitionResponse()
            .setPartitionIndex(topicPartition.partition());
        try {
            for (ProducerStateEntry entry : partitions.leader(topicPartition).log().activeProducers().values()) {
                result.activeProducers().add(new DescribeProducersResponseData.ProducerState()
                    .setProducerId(entry.producerId())
                    .setProducerEpoch(entry.producerEpoch())
                    .setLastSequence(entry.lastSequence())
                    .setLastTimestamp(entry.lastTimestamp())
                    .setCoordinatorEpoch(entry.coordinatorEpoch())
                    .setCurrentTxnStartOffset(entry.currentTxnFirstOffset().orElse(-1L)));
            }
            return result.setErrorCode(Errors.NONE.code);
        } catch (RuntimeException e) {
            Errors error = HandlerErrors.toError(e, "DescribeProducers for " + topicPartition);
            result.activeProducers().clear();
            return result.setErrorCode(error.code).setErrorMessage(e.getMessage());
        }
    }
}
