package dev.borges.metadata.controller;

import dev.borges.protocol.Errors;

/** A Kafka error code with the message a client sees; what validation returns for one item. */
record ApiError(Errors error, String message) {
}
