package dev.borges.metadata.controller;

import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.util.Map;

/**
 * The outcome for one topic of a createTopics call: {@link Errors#NONE} with the new topic's id,
 * partition count, replication factor and config overrides, or an error with a message for the
 * client (ids and counts then {@link Uuid#ZERO} and -1).
 */
public record CreateTopicResult(
    String name,
    Errors error,
    String errorMessage,
    Uuid topicId,
    int numPartitions,
    short replicationFactor,
    Map<String, String> configs) {

    public CreateTopicResult {
        configs = Map.copyOf(configs);
    }

    static CreateTopicResult failed(String name, Errors error, String message) {
        return new CreateTopicResult(name, error, message, Uuid.ZERO, -1, (short) -1, Map.of());
    }
}
