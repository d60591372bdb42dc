package dev.borges.protocol;

import dev.borges.protocol.types.ApiMessage;

/** A decoded request: its header and its typed body. */
public record Request(RequestHeader header, ApiMessage body) {
}
