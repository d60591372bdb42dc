package dev.borges.metadata.controller;

/** A Kafka error code with the message a client sees; what validation returns for one item. */
record ApiError(dev.borges.protocol.Errors error, String message) {
}
