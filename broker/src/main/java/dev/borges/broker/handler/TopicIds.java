package dev.borges.broker.handler;

import dev.borges.protocol.types.Uuid;
import java.util.Optional;

/**
 * Topic names and ids, as the metadata image knows them: newer versions of Produce, Fetch and
 * others name topics by id.
 */
public interface TopicIds {
    Optional<String> name(Uuid topicId);

    /** The topic's id, or {@link Uuid#ZERO} if there is no such topic. */
    Uuid id(String topicName);
}
