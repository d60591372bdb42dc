package dev.borges.metadata.image;

import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.metadata.record.RegisterBrokerRecord.Endpoint;
import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A registered broker: id, incarnation (random per process run), endpoints and rack. Immutable. */
public record BrokerRegistration(int id, Uuid incarnationId, List<Endpoint> endpoints, Optional<String> rack) {
    public BrokerRegistration {
        Objects.requireNonNull(incarnationId, "incarnationId");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
    }

    static BrokerRegistration fromRecord(RegisterBrokerRecord record) {
        return new BrokerRegistration(record.brokerId(), record.incarnationId(), record.endpoints(), record.rack());
    }

    public RegisterBrokerRecord toRecord() {
        return new RegisterBrokerRecord(id, incarnationId, endpoints, rack);
    }

    /** The endpoint of this listener, if the broker has one. */
    public Optional<Endpoint> endpoint(String listener) {
        return endpoints.stream().filter(e -> e.listener().equals(listener)).findFirst();
    }
}
