package dev.borges.metadata.controller;

import dev.borges.protocol.Errors;
import java.util.Objects;

/**
 * An operation failed as a whole, with the Kafka error a handler should answer with: the request is
 * invalid ({@code INVALID_REQUEST}, {@code BROKER_ID_NOT_REGISTERED}, …), this node cannot commit
 * ({@code NOT_CONTROLLER}), the commit took too long ({@code REQUEST_TIMED_OUT}), or the controller is
 * closed or broken ({@code UNKNOWN_SERVER_ERROR}). The only exception a controller future fails with.
 */
public class ControllerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Errors error;

    public ControllerException(Errors error, String message) {
        super(message);
        this.error = Objects.requireNonNull(error, "error");
    }

    public ControllerException(Errors error, String message, Throwable cause) {
        super(message, cause);
        this.error = Objects.requireNonNull(error, "error");
    }

    public Errors error() {
        return error;
    }
}
