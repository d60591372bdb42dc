package dev.borges.metadata.image;

import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.PartitionChangeRecord;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.metadata.record.ProducerIdsRecord;
import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.metadata.record.RemoveTopicRecord;
import dev.borges.metadata.record.TopicRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Records replayed on top of a base {@link MetadataImage}: the only way metadata state changes.
 * {@link #apply()} builds the new image; {@link #changes()} says what differs from the base, so a
 * broker can react (create partition logs, become leader or follower, reload configs).
 *
 * <p>Used twice with the same code: the controller's state machine replays each committed batch
 * into a fresh delta, and restart replays the snapshot and the log the same way.
 *
 * <p>Lifecycle: {@code new MetadataDelta(base)} → {@code replay(...)}* → {@code apply()} and/or
 * {@code changes()} (both may be called more than once; replaying more after them is allowed and
 * shows in the next call). A {@link MetadataReplayException} from {@code replay} leaves the delta
 * unusable: discard it and keep the base image, so a batch applies whole or not at all.
 *
 * <p>Not thread-safe: one thread builds a delta (the state machine's apply thread); listeners get
 * it only after it is complete and must treat it as read-only.
 */
public final class MetadataDelta {
    private final MetadataImage base;
    private final TopicsDelta topics;
    private final ConfigsDelta configs;
    private final TreeMap<Integer, BrokerRegistration> brokers = new TreeMap<>();
    private Optional<ProducerIdsImage> producerIds = Optional.empty();

    public MetadataDelta(MetadataImage base) {
        this.base = base;
        this.topics = new TopicsDelta(base.topics());
        this.configs = new ConfigsDelta(base.configs());
    }

    /** A delta from the empty image to {@code image}: everything in it shows as created. */
    public static MetadataDelta fromEmpty(MetadataImage image) {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replayAll(image.toRecords());
        return delta;
    }

    public MetadataImage base() {
        return base;
    }

    public void replayAll(List<? extends MetadataRecord> records) {
        for (MetadataRecord record : records) {
            replay(record);
        }
    }

    /** Applies one record to this delta; throws {@link MetadataReplayException} when it does not fit. */
    public void replay(MetadataRecord record) {
        switch (record.type()) {
            case TOPIC -> topics.replay((TopicRecord) record);
            case PARTITION -> topics.replay((PartitionRecord) record);
            case PARTITION_CHANGE -> topics.replay((PartitionChangeRecord) record);
            case REMOVE_TOPIC -> configs.removeTopic(topics.replay((RemoveTopicRecord) record).name());
            case CONFIG -> configs.replay((ConfigRecord) record);
            case REGISTER_BROKER -> {
                BrokerRegistration broker = BrokerRegistration.fromRecord((RegisterBrokerRecord) record);
                brokers.put(broker.id(), broker);
            }
            case PRODUCER_IDS -> replay((ProducerIdsRecord) record);
            default -> throw new MetadataReplayException("No replay for " + record.type());
        }
    }

    private void replay(ProducerIdsRecord record) {
        long current = producerIds.orElse(base.producerIds()).nextProducerId();
        if (record.nextProducerId() <= current) {
            throw new MetadataReplayException("Next producer id " + record.nextProducerId()
                + " is not above the current " + current);
        }
        producerIds = Optional.of(new ProducerIdsImage(record.nextProducerId()));
    }

    /** The image with every replayed record applied; the base itself when nothing was replayed. */
    public MetadataImage apply() {
        ClusterImage cluster = base.cluster();
        if (!brokers.isEmpty()) {
            TreeMap<Integer, BrokerRegistration> all = new TreeMap<>(cluster.brokers());
            all.putAll(brokers);
            cluster = new ClusterImage(all);
        }
        return new MetadataImage(topics.apply(), configs.apply(), cluster, producerIds.orElse(base.producerIds()));
    }

    /** What the replayed records changed relative to the base image. */
    public MetadataChanges changes() {
        List<PartitionChange> created = new ArrayList<>();
        List<PartitionChange> updated = new ArrayList<>();
        topics.partitionChanges(created, updated);
        Set<Integer> changedBrokers = new HashSet<>();
        brokers.forEach((id, broker) -> {
            if (!broker.equals(base.cluster().broker(id))) {
                changedBrokers.add(id);
            }
        });
        return new MetadataChanges(topics.createdTopics(), topics.deletedTopics(), created, updated,
            configs.changedResources(), changedBrokers, producerIds);
    }
}
