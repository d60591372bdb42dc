package dev.borges.broker.network;

import dev.borges.protocol.types.ApiMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Handles one Kafka API: validates the request, calls the domain, builds the response. Registered
 * per {@link dev.borges.protocol.ApiKey} in {@link RequestHandlers}.
 *
 * <p>Threading: {@link #handle} is called on the connection's Netty event loop, in the order the
 * connection's requests arrived, and must not block (hand slow work to another executor and return
 * the future). The future may complete on any thread; the response is written on the event loop.
 *
 * <p>Contract:
 * <ul>
 *   <li>Bad requests are answered with an error code in the response, as Kafka's clients expect.
 *   <li>The future completes with the response body for the request's API, or with {@code null}
 *       when the request gets no response at all (Produce with {@code acks=0}).
 *   <li>A thrown exception or an exceptionally completed future is a broker bug: it is logged as an
 *       error and the connection is closed, because the client can no longer pair its responses.
 *   <li>{@code records} fields of the request are views over a buffer that stays valid for as long as
 *       the handler keeps a reference; the response object must not be changed after the future
 *       completes, since it is encoded later on the event loop.
 * </ul>
 */
@FunctionalInterface
public interface RequestHandler {
    CompletableFuture<ApiMessage> handle(RequestContext context, ApiMessage request);
}
