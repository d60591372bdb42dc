package dev.borges.broker.handler;

import java.util.Set;

/**
 * Kafka's internal topics: written only by the broker's coordinators, marked {@code is_internal} in
 * Metadata, never created by a Metadata request. Other names starting with "__" are ordinary topics.
 */
final class InternalTopics {
    static final Set<String> NAMES = Set.of("__consumer_offsets", "__transaction_state");

    private InternalTopics() {
    }

    static boolean isInternal(String topic) {
        return NAMES.contains(topic);
    }
}
