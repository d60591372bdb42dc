package dev.borges.broker.handler;

import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.InitProducerIdRequestData;
import dev.borges.protocol.message.InitProducerIdResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId. Idempotent producers (the Java client's default) get a fresh producer id with
 * epoch 0. Transactional producers go to the transaction coordinator: the id of their
 * {@code transactional.id} with its epoch bumped, which fences older producers of the same id
 * (see {@link TransactionCoordinator#initProducerId}).
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData, InitProducerIdResponseData> {
    private final ProducerIds producerIds;
    private final TransactionCoordinator transactions;

    public InitProducerIdHandler(ProducerIds producerIds, TransactionCoordinator transactions) {
        this.producerIds = producerIds;
        this.transactions = transactions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestHeader header, InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            return transactions.initProducerId(request.transactionalId(), request.transactionTimeoutMs(), request.producerId(),
                    request.producerEpoch())
                .thenApply(result -> new InitProducerIdResponseData().setErrorCode(result.error().code)
                    .setProducerId(result.producerId()).setProducerEpoch(result.producerEpoch()));
        }
        return producerIds.next().handle((id, error) -> error != null
            ? new InitProducerIdResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code).setProducerId(-1)
                .setProducerEpoch((short) -1)
            : new InitProducerIdResponseData().setErrorCode(Errors.NONE.code).setProducerId(id).setProducerEpoch((short) 0));
    }
}
