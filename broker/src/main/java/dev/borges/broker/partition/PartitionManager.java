package dev.borges.broker.partition;

import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.log.PartitionLog;
import dev.borges.storage.manager.LogManager;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The partitions this broker leads, over the log manager's logs. The broker reacts to metadata
 * changes by calling {@link #becomeLeader} and {@link #delete}; request handlers look partitions up
 * with {@link #leader}, which answers with the Kafka error a client expects when there is none.
 *
 * <p>Threading: thread-safe.
 */
public final class PartitionManager {
    private final int localBrokerId;
    private final LogManager logManager;
    private final Map<TopicPartition, Partition> partitions = new ConcurrentHashMap<>();

    public PartitionManager(int localBrokerId, LogManager logManager) {
        this.localBrokerId = localBrokerId;
        this.logManager = logManager;
    }

    /**
     * This broker leads {@code topicPartition} at {@code leaderEpoch}: its log is opened (created
     * empty if new) with {@code config}, and appends take the new epoch.
     */
    public Partition becomeLeader(TopicPartition topicPartition, Uuid topicId, int leaderEpoch, Set<Integer> isr, LogConfig config) {
        return partitions.compute(topicPartition, (tp, existing) -> {
            if (existing != null && existing.topicId().equals(topicId)) {
                existing.log().updateConfig(config);
                existing.becomeLeader(leaderEpoch, isr);
                return existing;
            }
            PartitionLog log = logManager.getOrCreate(tp, config);
            log.updateConfig(config);
            return new Partition(tp, topicId, log, localBrokerId, leaderEpoch, isr);
        });
    }

    /** Applies a topic configuration change to the partition's log. */
    public void updateConfig(TopicPartition topicPartition, LogConfig config) {
        Partition partition = partitions.get(topicPartition);
        if (partition != null) {
            partition.log().updateConfig(config);
        }
    }

    /** The partition was deleted: its log goes too. */
    public void delete(TopicPartition topicPartition) {
        partitions.remove(topicPartition);
        logManager.delete(topicPartition);
    }

    public Optional<Partition> partition(TopicPartition topicPartition) {
        return Optional.ofNullable(partitions.get(topicPartition));
    }

    /**
     * The partition, if this broker leads it.
     *
     * @throws StorageException {@code UNKNOWN_TOPIC_OR_PARTITION} if this broker has no such partition
     */
    public Partition leader(TopicPartition topicPartition) {
        Partition partition = partitions.get(topicPartition);
        if (partition == null) {
            throw new StorageException(Errors.UNKNOWN_TOPIC_OR_PARTITION, "This broker has no partition " + topicPartition);
        }
        return partition;
    }

    public Collection<Partition> all() {
        return partitions.values();
    }
}
