package dev.borges.broker.network;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one listener's {@link NetworkServer}. Where Kafka has a key for a setting, the field
 * names it and keeps its default; the broker's configuration maps its keys onto this record.
 *
 * @param listenerName                     the listener's name ({@code listeners=PLAINTEXT://...}), given to handlers in
 *                                         {@link RequestContext}
 * @param host                             the address to bind; {@code 0.0.0.0} binds every interface
 * @param port                             the port to bind; 0 picks a free one ({@link NetworkServer#port()} tells which)
 * @param eventLoopThreads                 threads that run every connection's I/O and pipeline (Kafka:
 *                                         {@code num.network.threads}); default: the number of cores
 * @param maxRequestBytes                  {@code socket.request.max.bytes}: the largest request frame accepted
 *                                         (default 104857600); a larger size prefix closes the connection
 * @param maxInFlightRequestsPerConnection requests of one connection being handled at once; Kafka handles one
 *                                         at a time per connection, so the default is 1 (see {@link InFlightLimiter})
 * @param shutdownTimeout                  how long {@link NetworkServer#stop()} waits for in-flight responses
 *                                         before closing connections anyway
 */
public record NetworkConfig(
    String listenerName,
    String host,
    int port,
    int eventLoopThreads,
    int maxRequestBytes,
    int maxInFlightRequestsPerConnection,
    Duration shutdownTimeout) {

    public static final String DEFAULT_LISTENER_NAME = "PLAINTEXT";
    /** Kafka's {@code socket.request.max.bytes} default: 100 MiB. */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 104_857_600;
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION = 1;
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

    public NetworkConfig {
        Objects.requireNonNull(listenerName, "listenerName");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0-65535, not " + port);
        }
        if (eventLoopThreads < 1) {
            throw new IllegalArgumentException("eventLoopThreads must be at least 1, not " + eventLoopThreads);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("socket.request.max.bytes must be at least 1, not " + maxRequestBytes);
        }
        if (maxInFlightRequestsPerConnection < 1) {
            throw new IllegalArgumentException(
                "maxInFlightRequestsPerConnection must be at least 1, not " + maxInFlightRequestsPerConnection);
        }
        if (shutdownTimeout.isNegative()) {
            throw new IllegalArgumentException("shutdownTimeout must not be negative, not " + shutdownTimeout);
        }
    }

    /** A {@code PLAINTEXT} listener on {@code host:port} with every other setting at its default. */
    public static NetworkConfig listener(String host, int port) {
        return new NetworkConfig(DEFAULT_LISTENER_NAME, host, port, Runtime.getRuntime().availableProcessors(),
            DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, DEFAULT_SHUTDOWN_TIMEOUT);
    }

    public NetworkConfig withListenerName(String name) {
        return new NetworkConfig(name, host, port, eventLoopThreads, maxRequestBytes, maxInFlightRequestsPerConnection, shutdownTimeout);
    }

    public NetworkConfig withEventLoopThreads(int threads) {
        return new NetworkConfig(listenerName, host, port, threads, maxRequestBytes, maxInFlightRequestsPerConnection, shutdownTimeout);
    }

    public NetworkConfig withMaxRequestBytes(int bytes) {
        return new NetworkConfig(listenerName, host, port, eventLoopThreads, bytes, maxInFlightRequestsPerConnection, shutdownTimeout);
    }

    public NetworkConfig withMaxInFlightRequestsPerConnection(int requests) {
        return new NetworkConfig(listenerName, host, port, eventLoopThreads, maxRequestBytes, requests, shutdownTimeout);
    }

    public NetworkConfig withShutdownTimeout(Duration timeout) {
        return new NetworkConfig(listenerName, host, port, eventLoopThreads, maxRequestBytes, maxInFlightRequestsPerConnection, timeout);
    }
}
