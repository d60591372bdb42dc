package dev.borges.protocol.types;

/** A top-level request or response body: a {@link Message} that belongs to one Kafka API. */
public interface ApiMessage extends Message {
    short apiKey();
}
