package dev.borges.metadata.controller;

import dev.borges.metadata.record.RegisterBrokerRecord.Endpoint;
import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A broker announcing itself: id, incarnation (random per process start), endpoints, rack. */
public record BrokerRegistrationRequest(int brokerId, Uuid incarnationId, List<Endpoint> endpoints, Optional<String> rack) {
    public BrokerRegistrationRequest {
        Objects.requireNonNull(incarnationId, "incarnationId");
        endpoints = List.copyOf(endpoints);
        Objects.requireNonNull(rack, "rack");
    }
}
