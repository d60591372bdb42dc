package dev.borges.broker.handler;

import dev.borges.broker.network.RequestContext;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.types.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * The handler of one Kafka API: validates the typed request, calls the domain, builds the typed
 * response (STYLE: the protocol edge is thin). It answers errors with Kafka error codes in the
 * response; a completed-null future means "no response" (a Produce with {@code acks=0}).
 *
 * @param <Q> the request body type
 * @param <R> the response body type
 */
public interface ApiHandler<Q extends ApiMessage, R extends ApiMessage> {
    ApiKey apiKey();

    CompletableFuture<R> handle(RequestHeader header, Q request);

    /**
     * Handles a request knowing the connection it came on; handlers that need the client's address
     * (group membership records it) override this one.
     */
    default CompletableFuture<R> handle(RequestContext context, Q request) {
        return handle(context.header(), request);
    }
}
