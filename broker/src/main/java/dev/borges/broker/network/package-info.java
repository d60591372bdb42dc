/**
 * The broker's network layer: a Netty server per listener that speaks Kafka's framing, decodes
 * requests with the generated protocol classes, calls one {@link dev.borges.broker.network.RequestHandler}
 * per API, and writes responses in request order, with zero-copy file regions for fetched log
 * segments. See {@link dev.borges.broker.network.ConnectionInitializer} for the pipeline and
 * {@code broker/README-network-section.md} for threading, backpressure and errors.
 */
package dev.borges.broker.network;
