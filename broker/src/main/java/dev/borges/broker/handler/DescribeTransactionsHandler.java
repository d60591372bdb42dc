package dev.borges.broker.handler;

import dev.borges.broker.group.GroupErrors;
import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.broker.txn.TransactionMetadata;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DescribeTransactionsRequestData;
import dev.borges.protocol.message.DescribeTransactionsResponseData;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeTransactions: the state, producer, timeout and partitions of each transactional id this
 * broker coordinates; {@code TRANSACTIONAL_ID_NOT_FOUND} for an id it does not know,
 * {@code NOT_COORDINATOR} for one another broker coordinates.
 */
public final class DescribeTransactionsHandler
    implements ApiHandler<DescribeTransactionsRequestData, DescribeTransactionsResponseData> {
    private final TransactionCoordinator transactions;

    public DescribeTransactionsHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<DescribeTransactionsResponseData> handle(RequestHeader header, DescribeTransactionsRequestData request) {
        List<CompletableFuture<DescribeTransactionsResponseData.TransactionState>> states = new ArrayList<>();
        for (String transactionalId : request.transactionalIds()) {
            states.add(transactions.describe(transactionalId).handle((found, failure) -> describe(transactionalId, found, failure)));
        }
        return CompletableFuture.allOf(states.toArray(CompletableFuture[]::new)).thenApply(ignored ->
            new DescribeTransactionsResponseData().setTransactionStates(states.stream().map(CompletableFuture::join).toList()));
    }

    private static DescribeTransactionsResponseData.TransactionState describe(String transactionalId,
                                                                             Optional<TransactionMetadata> found, Throwable failure) {
        DescribeTransactionsResponseData.TransactionState state = new DescribeTransactionsResponseData.TransactionState()
            .setTransactionalId(transactionalId).setTransactionState("").setTransactionTimeoutMs(0)
            .setTransactionStartTimeMs(-1).setProducerId(-1).setProducerEpoch((short) -1);
        if (failure != null) {
            return state.setErrorCode(GroupErrors.toError(failure, "DescribeTransactions").code);
        }
        if (found.isEmpty()) {
            return state.setErrorCode(Errors.TRANSACTIONAL_ID_NOT_FOUND.code);
        }
        TransactionMetadata metadata = found.get();
        Map<String, DescribeTransactionsResponseData.TopicData> topics = new LinkedHashMap<>();
        for (TopicPartition partition : metadata.partitions()) {
            topics.computeIfAbsent(partition.topic(), name -> new DescribeTransactionsResponseData.TopicData().setTopic(name))
                .partitions().add(partition.partition());
        }
        return state.setErrorCode(Errors.NONE.code)
            .setTransactionState(metadata.state().displayName)
            .setTransactionTimeoutMs(metadata.timeoutMs())
            .setTransactionStartTimeMs(metadata.startMs())
            .setProducerId(metadata.producerId())
            .setProducerEpoch(metadata.producerEpoch())
            .setTopics(new ArrayList<>(topics.values()));
    }
}
