package dev.borges.broker.partition;

import dev.borges.storage.TopicPartition;
import java.util.Collection;

/**
 * Told when this broker starts or stops leading a partition, and when topics are deleted: how the
 * coordinators, whose state lives in internal topics, follow leadership. Called on the controller's
 * apply thread, in commit order; must be quick (hand work off).
 */
public interface PartitionLeadershipListener {
    /** This broker leads {@code partition} (again, possibly at a new leader epoch); its log is open. */
    void onBecomeLeader(Partition partition);

    /** This broker no longer leads {@code topicPartition}: the leader moved, or the partition is being deleted. */
    void onResign(TopicPartition topicPartition);

    /** These topics were deleted. */
    void onTopicsDeleted(Collection<String> topics);
}
