package dev.borges.broker.group.assignor;

import dev.borges.protocol.types.Uuid;
import java.util.Comparator;

/** One partition of a topic named by id. Ordered by topic ({@link Assignment#TOPIC_ORDER}), then partition. */
public record TopicPartition(Uuid topicId, int partition) implements Comparable<TopicPartition> {
    private static final Comparator<TopicPartition> ORDER =
        Comparator.comparing(TopicPartition::topicId, Assignment.TOPIC_ORDER).thenComparingInt(TopicPartition::partition);

    @Override
    public int compareTo(TopicPartition other) {
        return ORDER.compare(this, other);
    }
}
