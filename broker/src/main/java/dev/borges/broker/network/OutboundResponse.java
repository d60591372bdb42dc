package dev.borges.broker.network;

import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.types.ApiMessage;
import java.util.Objects;

/**
 * The answer to one request, as it travels the pipeline's outbound side from
 * {@link RequestDispatcher} through {@link ResponseOrderer} and {@link InFlightLimiter} to
 * {@link ResponseEncoder}. Every request that was dispatched produces exactly one, even when
 * nothing is sent ({@link #body} null: Produce with {@code acks=0}), so that ordering and in-flight
 * counting stay exact.
 *
 * @param request the header of the request answered; identifies it in {@link ResponseOrderer} (by
 *                identity: every decoded request has its own header object) and gives the
 *                correlation id and API key
 * @param version the response version: the request's version, except for the ApiVersions fallback,
 *                which answers version 0
 * @param body    the response body, or null to send nothing
 */
record OutboundResponse(RequestHeader request, short version, ApiMessage body) {

    OutboundResponse {
        Objects.requireNonNull(request, "request");
    }

    /** The response to {@code request} at the request's own version. */
    static OutboundResponse of(RequestHeader request, ApiMessage body) {
        return new OutboundResponse(request, request.apiVersion(), body);
    }

    boolean sendsNothing() {
        return body == null;
    }
}
