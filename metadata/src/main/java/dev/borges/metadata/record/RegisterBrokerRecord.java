package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A broker (re-)registered: its id, the random id of this run of the process (incarnation), the
 * endpoints clients reach it on, and its rack. A later registration of the same id replaces the
 * earlier one.
 */
public record RegisterBrokerRecord(
    int brokerId,
    Uuid incarnationId,
    List<Endpoint> endpoints,
    Optional<String> rack) implements MetadataRecord {

    public RegisterBrokerRecord {
        if (brokerId < 0) {
            throw new IllegalArgumentException("brokerId " + brokerId + " is negative");
        }
        Objects.requireNonNull(incarnationId, "incarnationId");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.REGISTER_BROKER;
    }

    /** A listener: its name (as in {@code listeners}, e.g. {@code PLAINTEXT}), host and port. */
    public record Endpoint(String listener, String host, int port) {
        public Endpoint {
            Objects.requireNonNull(listener, "listener");
            Objects.requireNonNull(host, "host");
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is outside 0..65535");
            }
        }
    }
}
