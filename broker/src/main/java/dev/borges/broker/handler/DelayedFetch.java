package dev.borges.broker.handler;

import dev.borges.broker.purgatory.DelayedOperation;
import dev.borges.protocol.message.FetchResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * A fetch waiting for {@code min.bytes} to be available: completes when an append to one of its
 * partitions makes enough arrive, or after {@code max.wait.ms} with whatever there is.
 */
final class DelayedFetch extends DelayedOperation {
    private final FetchReader reader;
    private final int minBytes;
    private final CompletableFuture<FetchResponseData> response;

    DelayedFetch(FetchReader reader, int minBytes, long maxWaitMs, CompletableFuture<FetchResponseData> response) {
        super(maxWaitMs);
        this.reader = reader;
        this.minBytes = minBytes;
        this.response = response;
    }

    @Override
    public boolean tryComplete() {
        if (reader.availableBytes() >= minBytes) {
            forceComplete();
            return true;
        }
        return false;
    }

    @Override
    protected void onComplete() {
        try {
            response.complete(reader.read());
        } catch (RuntimeException e) {
            response.completeExceptionally(e);
        }
    }
}
