package dev.borges.broker.coordinator;

import dev.borges.metadata.controller.NewTopic;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.PartitionRegistration;
import dev.borges.metadata.image.TopicImage;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The internal topic a coordinator keeps its state in: which partition a key belongs to
 * ({@code abs(key.hashCode()) % partitions}, as Kafka), which broker leads it, and its creation
 * through the controller on first use (Kafka creates {@code __transaction_state} on the first
 * FindCoordinator for a transactional id).
 *
 * <p>Threading: thread-safe.
 */
public final class InternalTopic {
    private static final Logger LOG = LoggerFactory.getLogger(InternalTopic.class);

    private final String name;
    private final int configuredPartitions;
    private final Supplier<MetadataImage> image;
    private final Function<NewTopic, CompletableFuture<?>> topicCreator;
    private CompletableFuture<Void> creation;

    /**
     * @param configuredPartitions how many partitions to create it with
     * @param topicCreator creates a topic through the controller; the future completes once it is committed
     */
    public InternalTopic(String name, int configuredPartitions, Supplier<MetadataImage> image,
                         Function<NewTopic, CompletableFuture<?>> topicCreator) {
        this.name = name;
        this.configuredPartitions = configuredPartitions;
        this.image = image;
        this.topicCreator = topicCreator;
    }

    public String name() {
        return name;
    }

    /** The partition of {@code key}. */
    public int partitionFor(String key) {
        int hash = key.hashCode();
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitionCount();
    }

    /** The partitions: as created, or as configured while the topic does not exist. */
    public int partitionCount() {
        TopicImage topic = image.get().topics().topic(name);
        return topic == null || topic.partitionCount() == 0 ? configuredPartitions : topic.partitionCount();
    }

    /** The broker leading {@code key}'s partition, if the topic exists and the partition has a leader. */
    public OptionalInt coordinatorNode(String key) {
        TopicImage topic = image.get().topics().topic(name);
        if (topic == null) {
            return OptionalInt.empty();
        }
        PartitionRegistration partition = topic.partition(partitionFor(key));
        return partition == null || !partition.hasLeader() ? OptionalInt.empty() : OptionalInt.of(partition.leader());
    }

    /** The replication factor to create it with: {@code configured}, at most the registered brokers. */
    public int replicationFactor(int configured) {
        return Math.min(configured, Math.max(1, image.get().cluster().brokers().size()));
    }

    /**
     * Creates the topic unless it exists; completes once it does (whoever created it). Concurrent
     * callers share one creation; a failed one is logged and retried by the next caller.
     */
    public synchronized CompletableFuture<Void> ensureExists(int replicationFactor, Map<String, String> configs) {
        if (image.get().topics().topic(name) != null) {
            return CompletableFuture.completedFuture(null);
        }
        if (creation != null && !creation.isDone()) {
            return creation;
        }
        LOG.info("Creating {} with {} partitions, replication factor {}", name, configuredPartitions, replicationFactor);
        creation = topicCreator.apply(NewTopic.of(name, configuredPartitions, replicationFactor).withConfigs(configs))
            .handle((result, error) -> {
                if (error != null) {
                    LOG.warn("Cannot create {}: {}", name, error.toString());
                }
                return null;
            });
        return creation;
    }
}
