package dev.borges.broker.network;

import dev.borges.protocol.RequestHeader;
import java.util.Objects;

/**
 * A request that {@link RequestDecoder} answered itself (an ApiVersions request at a version this
 * broker does not handle). It travels the inbound side like a decoded request, so that
 * {@link InFlightLimiter} counts it and {@link ResponseOrderer} keeps its answer in order behind
 * earlier requests; {@link RequestDispatcher} then writes {@link #response} instead of calling a handler.
 */
record AnsweredRequest(OutboundResponse response) {

    AnsweredRequest {
        Objects.requireNonNull(response, "response");
    }

    RequestHeader header() {
        return response.request();
    }
}
