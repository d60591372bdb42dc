package dev.borges.broker.group.consumer;

import java.util.Objects;

/**
 * Who sent a request, as the group records and describes it.
 *
 * @param clientId   the request header's client id
 * @param clientHost the client's address as Kafka prints it ({@code InetAddress.toString()}, e.g. "/127.0.0.1")
 */
public record ClientInfo(String clientId, String clientHost) {
    public ClientInfo {
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(clientHost);
    }
}
