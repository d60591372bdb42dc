package dev.borges.cli.topic;

import dev.borges.cli.CliException;
import dev.borges.cli.client.KafkaErrors;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Finds topics by name for the commands that need them to exist (describe, produce, consume, ...),
 * and says which one is missing: Kafka's own error ("This server does not host this
 * topic-partition") names none. Stateless.
 */
public final class TopicLookup {
    private TopicLookup() {
    }

    /**
     * The descriptions of {@code topics}, in the order asked.
     *
     * @throws CliException naming the first topic that does not exist
     */
    public static Map<String, TopicDescription> describe(Admin admin, Collection<String> topics, Duration timeout)
        throws InterruptedException {
        Map<String, KafkaFuture<TopicDescription>> futures = admin.describeTopics(topics).topicNameValues();
        Map<String, TopicDescription> descriptions = new LinkedHashMap<>();
        for (String topic : topics) {
            try {
                descriptions.put(topic, futures.get(topic).get());
            } catch (ExecutionException e) {
                Throwable cause = KafkaErrors.unwrap(e);
                if (cause instanceof UnknownTopicOrPartitionException || cause instanceof InvalidTopicException) {
                    throw missing(topic);
                }
                throw KafkaErrors.toCli(e, timeout);
            }
        }
        return descriptions;
    }

    /** One topic's description. */
    public static TopicDescription describe(Admin admin, String topic, Duration timeout) throws InterruptedException {
        return describe(admin, java.util.List.of(topic), timeout).get(topic);
    }

    /**
     * Checks that {@code partition} is one of the {@code count} partitions of {@code topic}.
     *
     * @throws CliException naming the partitions there are ({@code 0}, {@code 0-5})
     */
    public static void requirePartition(String topic, int count, int partition) {
        if (partition < count) {
            return;
        }
        String range = count == 1 ? "1 partition (0)" : count + " partitions (0-" + (count - 1) + ")";
        throw new CliException("topic '" + topic + "' has " + range + "; there is no partition " + partition);
    }

    /** The error for a topic that does not exist. */
    public static CliException missing(String topic) {
        return new CliException("topic '" + topic + "' does not exist", "Run 'borges topic list' to see the topics, "
            + "or create it with 'borges topic create " + topic + "'.");
    }
}
