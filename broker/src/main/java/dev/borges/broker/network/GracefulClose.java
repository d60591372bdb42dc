package dev.borges.broker.network;

/**
 * User event fired into a connection's pipeline by {@link NetworkServer#stop()}: stop reading, let
 * the responses already being produced go out, then close ({@link InFlightLimiter} acts on it).
 */
enum GracefulClose {
    INSTANCE
}
