package dev.borges.metadata.controller;

import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;

/**
 * The outcome for one topic of a deleteTopics or createPartitions call. {@code name} and
 * {@code topicId} are filled in when the topic is known ({@code null} / {@link Uuid#ZERO} otherwise).
 */
public record TopicResult(String name, Uuid topicId, Errors error, String errorMessage) {
    static TopicResult ok(String name, Uuid topicId) {
        return new TopicResult(name, topicId, Errors.NONE, null);
    }
}
