package dev.borges.broker.handler;

import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.AddPartitionsToTxnRequestData;
import dev.borges.protocol.message.AddPartitionsToTxnResponseData;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * AddPartitionsToTxn: versions 0-3 add one producer's partitions to its transaction (the client's
 * form); versions 4+ carry a batch of transactions, each either added or, with {@code VerifyOnly},
 * only checked (the form a partition leader uses to verify a transactional Produce, KIP-890).
 * A partition of a topic that does not exist fails with {@code UNKNOWN_TOPIC_OR_PARTITION}, and
 * then the others with {@code OPERATION_NOT_ATTEMPTED}, as in Kafka.
 */
public final class AddPartitionsToTxnHandler implements ApiHandler<AddPartitionsToTxnRequestData, AddPartitionsToTxnResponseData> {
    private final TransactionCoordinator transactions;
    private final Supplier<MetadataImage> image;

    public AddPartitionsToTxnHandler(TransactionCoordinator transactions, Supplier<MetadataImage> image) {
        this.transactions = transactions;
        this.image = image;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.ADD_PARTITIONS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddPartitionsToTxnResponseData> handle(RequestHeader header, AddPartitionsToTxnRequestData request) {
        if (header.apiVersion() < 4) {
            return handle(request.v3AndBelowTransactionalId(), request.v3AndBelowProducerId(), request.v3AndBelowProducerEpoch(),
                request.v3AndBelowTopics(), false)
                .thenApply(results -> new AddPartitionsToTxnResponseData().setResultsByTopicV3AndBelow(results));
        }
        List<CompletableFuture<AddPartitionsToTxnResponseData.AddPartitionsToTxnResult>> results = new ArrayList<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTransaction transaction : request.transactions()) {
            results.add(handle(transaction.transactionalId(), transaction.producerId(), transaction.producerEpoch(), transaction.topics(),
                transaction.verifyOnly())
                .thenApply(topics -> new AddPartitionsToTxnResponseData.AddPartitionsToTxnResult()
                    .setTransactionalId(transaction.transactionalId()).setTopicResults(topics)));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).thenApply(ignored ->
            new AddPartitionsToTxnResponseData().setErrorCode(Errors.NONE.code)
                .setResultsByTransaction(results.stream().map(CompletableFuture::join).toList()));
    }

    private CompletableFuture<List<AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult>> handle(
        String transactionalId, long producerId, short producerEpoch, List<AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic> topics,
        boolean verifyOnly) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : topics) {
            for (int partition : topic.partitions()) {
                partitions.add(new TopicPartition(topic.name(), partition));
            }
        }
        if (transactionalId == null || transactionalId.isEmpty()) {
            return CompletableFuture.completedFuture(results(sameError(partitions, Errors.INVALID_REQUEST)));
        }
        Map<TopicPartition, Errors> unknown = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            TopicImage topic = image.get().topics().topic(partition.topic());
            unknown.put(partition, topic == null || topic.partition(partition.partition()) == null
                ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.OPERATION_NOT_ATTEMPTED);
        }
        if (unknown.containsValue(Errors.UNKNOWN_TOPIC_OR_PARTITION)) {
            return CompletableFuture.completedFuture(results(unknown));
        }
        if (verifyOnly) {
            return transactions.verify(transactionalId, producerId, producerEpoch, partitions).thenApply(AddPartitionsToTxnHandler::results);
        }
        return transactions.addPartitions(transactionalId, producerId, producerEpoch, partitions)
            .thenApply(error -> results(sameError(partitions, error)));
    }

    private static Map<TopicPartition, Errors> sameError(List<TopicPartition> partitions, Errors error) {
        Map<TopicPartition, Errors> errors = new LinkedHashMap<>();
        partitions.forEach(partition -> errors.put(partition, error));
        return errors;
    }

    private static List<AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult> results(Map<TopicPartition, Errors> errors) {
        Map<String, AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult> byTopic = new LinkedHashMap<>();
        errors.forEach((partition, error) -> byTopic.computeIfAbsent(partition.topic(),
                name -> new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName(name))
            .resultsByPartition().add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult()
                .setPartitionIndex(partition.partition()).setPartitionErrorCode(error.code)));
        return new ArrayList<>(byTopic.values());
    }
}
