package dev.borges.broker.handler;

import dev.borges.broker.partition.PartitionManager;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ProduceRequestData;
import dev.borges.protocol.message.ProduceResponseData;
import dev.borges.broker.txn.TxnPartitionVerifier;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.LogAppendInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Produce: appends each partition's batches to the partition this broker leads and answers with
 * the offsets they got, or per partition the error (unknown topic, corrupt or too large batch,
 * out-of-order sequence, not enough replicas, offline log…). {@code acks=0} gets no response.
 * Internal topics ({@code __consumer_offsets}) are written by the broker only:
 * {@code INVALID_TOPIC_EXCEPTION}, as in Kafka.
 * Topics are named by name up to version 12 and by id from version 13.
 *
 * <p>A transactional batch (the request names a {@code transactional.id}) is first checked with
 * the transaction coordinator ({@link TxnPartitionVerifier}): a partition not added to the
 * producer's ongoing transaction gets {@code INVALID_TXN_STATE}, as in Kafka with
 * {@code transaction.partition.verification.enable=true}.
 *
 * <p>With a replication factor of one the high watermark passes the appended records at once, so
 * {@code acks=-1} needs no waiting; with followers, such requests will wait in a purgatory.
 */
public final class ProduceHandler implements ApiHandler<ProduceRequestData, ProduceResponseData> {
    private final PartitionManager partitions;
    private final TopicIds topics;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final TxnPartitionVerifier verifier;

    /** @param fetchPurgatory fetches waiting for data, woken by every append */
    public ProduceHandler(PartitionManager partitions, TopicIds topics, Purgatory<TopicPartition> fetchPurgatory) {
        this(partitions, topics, fetchPurgatory, TxnPartitionVerifier.DISABLED);
    }

    /** @param verifier checks transactional batches with the transaction coordinator */
    public ProduceHandler(PartitionManager partitions, TopicIds topics, Purgatory<TopicPartition> fetchPurgatory,
                          TxnPartitionVerifier verifier) {
        this.partitions = partitions;
        this.topics = topics;
        this.fetchPurgatory = fetchPurgatory;
        this.verifier = verifier;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.PRODUCE;
    }

    @Override
    public CompletableFuture<ProduceResponseData> handle(RequestHeader header, ProduceRequestData request) {
        boolean byId = header.apiVersion() >= 13;
        short acks = request.acks();
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<?>> appends = new ArrayList<>();
        for (ProduceRequestData.TopicProduceData topic : request.topicData()) {
            ProduceResponseData.TopicProduceResponse topicResponse = new ProduceResponseData.TopicProduceResponse();
            Optional<String> name;
            if (byId) {
                topicResponse.setTopicId(topic.topicId());
                name = topics.name(topic.topicId());
            } else {
                topicResponse.setName(topic.name());
                name = Optional.of(topic.name());
            }
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                int index = topicResponse.partitionResponses().size();
                topicResponse.partitionResponses().add(null);
                appends.add(verifyThenAppend(request.transactionalId(), name, byId, partition, acks)
                    .thenAccept(result -> topicResponse.partitionResponses().set(index, result)));
            }
            response.responses().add(topicResponse);
        }
        return CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new)).thenCompose(ignored -> respond(response, acks));
    }

    private static CompletableFuture<ProduceResponseData> respond(ProduceResponseData response, short acks) {
        if (acks == 0) {
            // No response to carry an error: Kafka closes the connection instead, so the producer
            // notices (and refreshes its metadata) rather than writing into nothing.
            for (ProduceResponseData.TopicProduceResponse topic : response.responses()) {
                for (ProduceResponseData.PartitionProduceResponse partition : topic.partitionResponses()) {
                    if (partition.errorCode() != Errors.NONE.code) {
                        return CompletableFuture.failedFuture(new IllegalStateException("acks=0 produce to partition "
                            + partition.index() + " failed with " + Errors.forCode(partition.errorCode()) + "; closing the connection"));
                    }
                }
            }
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** Appends at once, or once the transaction coordinator has verified a transactional batch. */
    private CompletableFuture<ProduceResponseData.PartitionProduceResponse> verifyThenAppend(
        String transactionalId, Optional<String> topic, boolean byId, ProduceRequestData.PartitionProduceData data, short acks) {
        RecordBatch first = transactionalId == null || topic.isEmpty() || !(data.records() instanceof MemoryRecords records) ? null
            : firstBatch(records);
        if (first == null || !first.isTransactional()) {
            return CompletableFuture.completedFuture(append(topic, byId, data, acks));
        }
        TopicPartition topicPartition = new TopicPartition(topic.get(), data.index());
        return verifier.verify(transactionalId, first.producerId(), first.producerEpoch(), topicPartition)
            .exceptionally(failure -> Errors.UNKNOWN_SERVER_ERROR)
            .thenApply(ProduceHandler::retriableForProducers)
            .thenApply(error -> error == Errors.NONE ? append(topic, byId, data, acks)
                : failed(new ProduceResponseData.PartitionProduceResponse().setIndex(data.index()), error,
                    "Partition " + topicPartition + " is not in the ongoing transaction of " + transactionalId + " (" + error + ")"));
    }

    /**
     * A coordinator that cannot answer yet (loading, moved, busy ending the previous transaction)
     * is not an error of the batch: like Kafka, tell the producer {@code NOT_ENOUGH_REPLICAS}, which
     * every client retries.
     */
    private static Errors retriableForProducers(Errors error) {
        return switch (error) {
            case CONCURRENT_TRANSACTIONS, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR ->
                Errors.NOT_ENOUGH_REPLICAS;
            default -> error;
        };
    }

    private static RecordBatch firstBatch(MemoryRecords records) {
        for (RecordBatch batch : records.batches()) {
            return batch;
        }
        return null;
    }

    private ProduceResponseData.PartitionProduceResponse append(Optional<String> topic, boolean byId,
                                                              ProduceRequestData.PartitionProduceData data, short acks) {
        ProduceResponseData.PartitionProduceResponse result = new ProduceResponseData.PartitionProduceResponse()
            .setIndex(data.index());
        if (acks != -1 && acks != 0 && acks != 1) {
            return failed(result, Errors.INVALID_REQUIRED_ACKS, "acks must be -1, 0 or 1, not " + acks);
        }
        if (topic.isEmpty()) {
            return failed(result, byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION, "Unknown topic");
        }
        if (InternalTopics.isInternal(topic.get())) {
            return failed(result, Errors.INVALID_TOPIC_EXCEPTION, "Cannot append to internal topic " + topic.get());
        }
        if (!(data.records() instanceof MemoryRecords records)) {
            return failed(result, Errors.CORRUPT_MESSAGE, "No record batches for partition " + data.index());
        }
        TopicPartition topicPartition = new TopicPartition(topic.get(), data.index());
        try {
            LogAppendInfo info = partitions.leader(topicPartition).appendAsLeader(records, acks);
            fetchPurgatory.checkAndComplete(topicPartition);
            return result.setErrorCode(Errors.NONE.code)
                .setBaseOffset(info.firstOffset())
                .setLogAppendTimeMs(info.logAppendTimeMs())
                .setLogStartOffset(info.logStartOffset());
        } catch (RuntimeException e) {
            return failed(result, HandlerErrors.toError(e, "a produce to " + topicPartition), e.getMessage());
        }
    }

    private static ProduceResponseData.PartitionProduceResponse failed(ProduceResponseData.PartitionProduceResponse result,
                                                                     Errors error, String message) {
        return result.setErrorCode(error.code).setErrorMessage(message).setBaseOffset(-1).setLogAppendTimeMs(-1)
            .setLogStartOffset(-1);
    }
}
