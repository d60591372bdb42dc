package dev.borges.broker.group.classic;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The topics in a consumer's subscription: the member metadata of the "consumer" protocol type,
 * which the Java consumer, librdkafka and kafkajs all write in Kafka's ConsumerProtocolSubscription
 * layout. The coordinator reads only what it needs, the topic names at its start:
 *
 * <pre>
 *   version:int16 | topics: int32 count, each int16 length + UTF-8 | userData | ... (later fields by version)
 * </pre>
 *
 * The rest (user data, owned partitions, generation, rack) belongs to the assignors in the clients.
 */
public final class ConsumerProtocolSubscription {
    public static final String PROTOCOL_TYPE = "consumer";

    private ConsumerProtocolSubscription() {
    }

    /** The subscribed topics, or empty if the metadata is not a subscription this broker can read. */
    public static Optional<Set<String>> topics(byte[] metadata) {
        try {
            ByteBuffer buffer = ByteBuffer.wrap(metadata);
            short version = buffer.getShort();
            if (version < 0) {
                return Optional.empty();
            }
            int count = buffer.getInt();
            if (count < 0 || count > buffer.remaining() / 2) {
                return Optional.empty();
            }
            Set<String> topics = new LinkedHashSet<>();
            for (int i = 0; i < count; i++) {
                short length = buffer.getShort();
                if (length < 0 || length > buffer.remaining()) {
                    return Optional.empty();
                }
                byte[] name = new byte[length];
                buffer.get(name);
                topics.add(new String(name, StandardCharsets.UTF_8));
            }
            return Optional.of(topics);
        } catch (BufferUnderflowException e) {
            return Optional.empty();
        }
    }
}
