package dev.borges.broker.group;

/**
 * Who sent a group request: the client id from the request header, the client's host as Kafka
 * reports it ({@code /127.0.0.1}), and the request's API version (some rules depend on it).
 */
public record ClientContext(String clientId, String clientHost, short apiVersion) {
    public ClientContext {
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
    }
}
