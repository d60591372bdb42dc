package dev.borges.broker.handler;

import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.AddOffsetsToTxnRequestData;
import dev.borges.protocol.message.AddOffsetsToTxnResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * AddOffsetsToTxn: the producer will commit offsets of {@code GroupId} in its transaction
 * ({@code sendOffsetsToTransaction}), so the group's {@code __consumer_offsets} partition joins the
 * transaction and gets its marker at the end.
 */
public final class AddOffsetsToTxnHandler implements ApiHandler<AddOffsetsToTxnRequestData, AddOffsetsToTxnResponseData> {
    private final TransactionCoordinator transactions;

    public AddOffsetsToTxnHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.ADD_OFFSETS_TO_TXN;
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponseData> handle(RequestHeader header, AddOffsetsToTxnRequestData request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData().setErrorCode(Errors.INVALID_GROUP_ID.code));
        }
        if (request.transactionalId() == null || request.transactionalId().isEmpty()) {
            return CompletableFuture.completedFuture(new AddOffsetsToTxnResponseData().setErrorCode(Errors.INVALID_REQUEST.code));
        }
        return transactions.addOffsets(request.transactionalId(), request.producerId(), request.producerEpoch(), request.groupId())
            .thenApply(error -> new AddOffsetsToTxnResponseData().setErrorCode(error.code));
    }
}
