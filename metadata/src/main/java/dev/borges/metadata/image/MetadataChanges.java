package dev.borges.metadata.image;

import dev.borges.metadata.record.ConfigResource;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one delta changed, for the code that reacts to metadata (the broker's partition manager,
 * config reloads, caches). Topics are listed in name order, partitions in (topic, partition) order.
 *
 * @param createdTopics topics in the new image that the old one did not have (by id)
 * @param deletedTopics topics of the old image that are gone, as they were
 * @param createdPartitions partitions that are new, including every partition of a created topic
 * @param changedPartitions partitions that exist in both images and differ (leader, ISR, replicas, epochs)
 * @param changedConfigs resources whose overrides differ, including those of deleted topics
 * @param changedBrokers ids of brokers that registered or re-registered
 * @param producerIds the new producer id counter, when it moved
 */
public record MetadataChanges(
    List<TopicImage> createdTopics,
    List<TopicImage> deletedTopics,
    List<PartitionChange> createdPartitions,
    List<PartitionChange> changedPartitions,
    Set<ConfigResource> changedConfigs,
    Set<Integer> changedBrokers,
    Optional<ProducerIdsImage> producerIds) {

    public MetadataChanges {
        createdTopics = List.copyOf(createdTopics);
        deletedTopics = List.copyOf(deletedTopics);
        createdPartitions = List.copyOf(createdPartitions);
        changedPartitions = List.copyOf(changedPartitions);
        changedConfigs = Set.copyOf(changedConfigs);
        changedBrokers = Set.copyOf(changedBrokers);
    }

    public boolean isEmpty() {
        return createdTopics.isEmpty() && deletedTopics.isEmpty() && createdPartitions.isEmpty()
            && changedPartitions.isEmpty() && changedConfigs.isEmpty() && changedBrokers.isEmpty()
            && producerIds.isEmpty();
    }
}
