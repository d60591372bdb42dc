package dev.borges.broker.handler;

import dev.borges.broker.network.RequestHandler;
import dev.borges.protocol.types.ApiMessage;

/** Plugs a typed {@link ApiHandler} into the network layer's dispatcher. */
public final class NetworkAdapter {
    private NetworkAdapter() {
    }

    @SuppressWarnings("unchecked")
    public static <Q extends ApiMessage, R extends ApiMessage> RequestHandler adapt(ApiHandler<Q, R> handler) {
        return (context, request) -> handler.handle(context, (Q) request).thenApply(response -> (ApiMessage) response);
    }
}
