package dev.borges.protocol;

import dev.borges.protocol.types.ApiMessage;

/** A decoded response: the correlation id that pairs it with its request, and its typed body. */
public record Response(int correlationId, ApiMessage body) {
}
