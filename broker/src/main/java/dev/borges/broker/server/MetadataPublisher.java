package dev.borges.broker.server;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.handler.TopicIds;
import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionLeadershipListener;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.metadata.controller.MetadataListener;
import dev.borges.metadata.image.MetadataChanges;
import dev.borges.metadata.image.MetadataDelta;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.PartitionChange;
import dev.borges.metadata.image.PartitionRegistration;
import dev.borges.metadata.image.TopicImage;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the broker follow the metadata log: each committed change becomes partition leadership
 * ({@link PartitionManager#becomeLeader}), partition deletion, or a topic configuration change, in
 * commit order. Also the broker's view of the latest image, for Metadata requests and topic ids.
 *
 * <p>Threading: called by the controller in commit order on its apply thread; {@link #image()} is
 * read by request handlers on any thread.
 */
public final class MetadataPublisher implements MetadataListener, TopicIds {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataPublisher.class);

    private final int nodeId;
    private final BrokerConfig config;
    private final PartitionManager partitions;
    private final List<PartitionLeadershipListener> leadershipListeners = new CopyOnWriteArrayList<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    public MetadataPublisher(int nodeId, BrokerConfig config, PartitionManager partitions) {
        this.nodeId = nodeId;
        this.config = config;
        this.partitions = partitions;
    }

    public MetadataImage image() {
        return image;
    }

    /** A topic's configuration: the broker's defaults, then the topic's own settings from the image. */
    public LogConfig logConfig(String topic) {
        return logConfig(config, image, topic);
    }

    /** The same from a given image: what the log manager uses while opening logs at start-up. */
    public static LogConfig logConfig(BrokerConfig config, MetadataImage image, String topic) {
        return config.logConfig(image.configs().configs(ConfigResource.topic(topic)));
    }

    /** Adds a listener to leadership changes; register before {@link #publishInitial} to see every partition. */
    public void addLeadershipListener(PartitionLeadershipListener listener) {
        leadershipListeners.add(listener);
    }

    /** Applies everything an image holds, for the image loaded at start-up. */
    public synchronized void publishInitial(MetadataImage initial) {
        image = initial;
        for (TopicImage topic : initial.topics().byName().values()) {
            for (Map.Entry<Integer, PartitionRegistration> partition : topic.partitions().entrySet()) {
                apply(topic.name(), topic.id(), partition.getKey(), partition.getValue());
            }
        }
    }

    @Override
    public synchronized void onMetadataUpdate(MetadataDelta delta, MetadataImage newImage) {
        MetadataChanges changes = delta.changes();
        image = newImage;
        for (TopicImage deleted : changes.deletedTopics()) {
            for (Integer partition : deleted.partitions().keySet()) {
                TopicPartition topicPartition = new TopicPartition(deleted.name(), partition);
                isolated("resign", topicPartition, () -> leadershipListeners.forEach(listener -> listener.onResign(topicPartition)));
                isolated("delete", topicPartition, () -> partitions.delete(topicPartition));
            }
            LOG.info("Deleted topic {} ({} partitions)", deleted.name(), deleted.partitionCount());
        }
        if (!changes.deletedTopics().isEmpty()) {
            List<String> names = changes.deletedTopics().stream().map(TopicImage::name).toList();
            for (PartitionLeadershipListener listener : leadershipListeners) {
                try {
                    listener.onTopicsDeleted(names);
                } catch (RuntimeException e) {
                    LOG.error("Cannot handle the deletion of topics {}: {}", names, e.toString(), e);
                }
            }
        }
        Set<String> reconfigured = new HashSet<>();
        for (ConfigResource resource : changes.changedConfigs()) {
            if (resource.type() == ConfigResource.Type.TOPIC) {
                reconfigured.add(resource.name());
            }
        }
        for (PartitionChange change : changes.createdPartitions()) {
            apply(change.topicName(), change.topicId(), change.partitionId(), change.after());
        }
        for (PartitionChange change : changes.changedPartitions()) {
            apply(change.topicName(), change.topicId(), change.partitionId(), change.after());
        }
        for (String topic : reconfigured) {
            TopicImage topicImage = newImage.topics().topic(topic);
            if (topicImage != null) {
                LogConfig logConfig = logConfig(topic);
                for (Integer partition : topicImage.partitions().keySet()) {
                    TopicPartition topicPartition = new TopicPartition(topic, partition);
                    isolated("reconfigure", topicPartition, () -> partitions.updateConfig(topicPartition, logConfig));
                }
            }
        }
    }

    private void apply(String topic, Uuid topicId, int partition, PartitionRegistration registration) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        if (registration.leader() == nodeId) {
            isolated("lead", topicPartition, () -> {
                Partition led = partitions.becomeLeader(topicPartition, topicId, registration.leaderEpoch(),
                    Set.copyOf(registration.isr()), logConfig(topic));
                leadershipListeners.forEach(listener -> listener.onBecomeLeader(led));
            });
        } else if (partitions.partition(topicPartition).isPresent()) {
            isolated("resign", topicPartition, () -> leadershipListeners.forEach(listener -> listener.onResign(topicPartition)));
        }
    }

    /** One partition's failure (a disk error creating its log) must not stop the rest of a change from applying. */
    private static void isolated(String action, TopicPartition topicPartition, Runnable change) {
        try {
            change.run();
        } catch (RuntimeException e) {
            LOG.error("Cannot {} partition {}: {}", action, topicPartition, e.toString(), e);
        }
    }

    @Override
    public Optional<String> name(Uuid topicId) {
        TopicImage topic = image.topics().topic(topicId);
        return topic == null ? Optional.empty() : Optional.of(topic.name());
    }

    @Override
    public Uuid id(String topicName) {
        TopicImage topic = image.topics().topic(topicName);
        return topic == null ? Uuid.ZERO : topic.id();
    }
}
