package dev.borges.broker.network;

import dev.borges.protocol.Request;
import dev.borges.protocol.RequestHeader;

/** The inbound messages that are requests awaiting an answer: a decoded {@link Request} or an {@link AnsweredRequest}. */
final class InboundRequests {
    private InboundRequests() {
    }

    /** The request header of {@code message}, or null if it is not a request. */
    static RequestHeader headerOf(Object message) {
        if (message instanceof Request request) {
            return request.header();
        }
        if (message instanceof AnsweredRequest answered) {
            return answered.header();
        }
        return null;
    }
}
