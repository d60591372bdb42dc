package dev.borges.broker.handler;

import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.EndTxnRequestData;
import dev.borges.protocol.message.EndTxnResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * EndTxn: commit or abort the producer's transaction. Answered once the coordinator has written
 * PrepareCommit or PrepareAbort (the decision is durable); the markers follow. Version 5 (KIP-890,
 * transaction version 2) echoes the producer id and epoch, which Borges never bumps at EndTxn.
 */
public final class EndTxnHandler implements ApiHandler<EndTxnRequestData, EndTxnResponseData> {
    private final TransactionCoordinator transactions;

    public EndTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.END_TXN;
    }

    @Override
    public CompletableFuture<EndTxnResponseData> handle(RequestHeader header, EndTxnRequestData request) {
        EndTxnResponseData response = new EndTxnResponseData().setProducerId(request.producerId())
            .setProducerEpoch(request.producerEpoch());
        if (request.transactionalId() == null || request.transactionalId().isEmpty()) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REQUEST.code));
        }
        return transactions.endTransaction(request.transactionalId(), request.producerId(), request.producerEpoch(), request.committed())
            .thenApply(error -> response.setErrorCode(error.code));
    }
}
