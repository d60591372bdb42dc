package dev.borges.broker.handler;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.InitProducerIdRequestData;
import dev.borges.protocol.message.InitProducerIdResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * InitProducerId for idempotent producers (the Java client's default): a fresh producer id with
 * epoch 0. Transactional producers need the transaction coordinator, which this broker does not
 * have yet: they get {@code COORDINATOR_NOT_AVAILABLE}.
 */
public final class InitProducerIdHandler implements ApiHandler<InitProducerIdRequestData, InitProducerIdResponseData> {
    private final ProducerIds producerIds;

    public InitProducerIdHandler(ProducerIds producerIds) {
        this.producerIds = producerIds;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.INIT_PRODUCER_ID;
    }

    @Override
    public CompletableFuture<InitProducerIdResponseData> handle(RequestHeader header, InitProducerIdRequestData request) {
        if (request.transactionalId() != null) {
            return CompletableFuture.completedFuture(new InitProducerIdResponseData()
                .setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code).setProducerId(-1).setProducerEpoch((short) -1));
        }
        return producerIds.next().handle((id, error) -> error != null
            ? new InitProducerIdResponseData().setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code).setProducerId(-1)
                .setProducerEpoch((short) -1)
            : new InitProducerIdResponseData().setErrorCode(Errors.NONE.code).setProducerId(id).setProducerEpoch((short) 0));
    }
}
