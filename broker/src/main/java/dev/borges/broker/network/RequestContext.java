package dev.borges.broker.network;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a {@link RequestHandler} knows about a request besides its body: the header, and the
 * connection it came on. Immutable; safe to keep and pass between threads.
 *
 * @param header        the request header (API key and version, correlation id, client id)
 * @param clientAddress the client's address and port (null when the channel has none, as in tests on an {@code EmbeddedChannel})
 * @param connectionId  unique per connection for the life of the server process, in Kafka's form
 *                      {@code localHost:localPort-remoteHost:remotePort-index}
 * @param listenerName  the listener the connection arrived on ({@link NetworkConfig#listenerName()})
 */
public record RequestContext(RequestHeader header, InetSocketAddress clientAddress, String connectionId, String listenerName) {

    public RequestContext {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(connectionId, "connectionId");
        Objects.requireNonNull(listenerName, "listenerName");
    }

    public ApiKey apiKey() {
        return header.apiKey();
    }

    public short apiVersion() {
        return header.apiVersion();
    }
}
