package dev.borges.metadata.image;

import dev.borges.metadata.record.PartitionChangeRecord;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.metadata.record.RemoveTopicRecord;
import dev.borges.metadata.record.TopicRecord;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Topic and partition changes on top of a {@link TopicsImage}: the new state of every touched topic,
 * and the ids of base topics that were removed. A topic created and removed in the same delta leaves
 * no trace. Not thread-safe; owned by {@link MetadataDelta}.
 */
final class TopicsDelta {
    private final TopicsImage base;
    private final Map<Uuid, TopicImage> changed = new HashMap<>();
    private final Set<Uuid> deleted = new HashSet<>();

    TopicsDelta(TopicsImage base) {
        this.base = base;
    }

    /** The topic as it stands in this delta, or null when it does not exist (any more). */
    TopicImage topic(Uuid id) {
        TopicImage topic = changed.get(id);
        if (topic != null) {
            return topic;
        }
        return deleted.contains(id) ? null : base.topic(id);
    }

    TopicImage topic(String name) {
        for (TopicImage topic : changed.values()) {
            if (topic.name().equals(name)) {
                return topic;
            }
        }
        TopicImage topic = base.topic(name);
        return topic == null || deleted.contains(topic.id()) ? null : topic;
    }

    void replay(TopicRecord record) {
        if (topic(record.name()) != null) {
            throw new MetadataReplayException("Topic '" + record.name() + "' already exists");
        }
        if (topic(record.topicId()) != null || deleted.contains(record.topicId())) {
            throw new MetadataReplayException("Topic id " + record.topicId() + " is already in use");
        }
        changed.put(record.topicId(), TopicImage.create(record.name(), record.topicId()));
    }

    void replay(PartitionRecord record) {
        TopicImage topic = existing(record.topicId(), "PartitionRecord");
        changed.put(topic.id(), topic.withPartition(record.partitionId(), PartitionRegistration.fromRecord(record)));
    }

    void replay(PartitionChangeRecord record) {
        TopicImage topic = existing(record.topicId(), "PartitionChangeRecord");
        PartitionRegistration partition = topic.partition(record.partitionId());
        if (partition == null) {
            throw new MetadataReplayException("PartitionChangeRecord for unknown partition " + record.partitionId()
                + " of topic '" + topic.name() + "'");
        }
        changed.put(topic.id(), topic.withPartition(record.partitionId(), partition.merge(record)));
    }

    /** Removes the topic; returns it as it was, so configs can drop its overrides. */
    TopicImage replay(RemoveTopicRecord record) {
        TopicImage topic = existing(record.topicId(), "RemoveTopicRecord");
        changed.remove(topic.id());
        if (base.topic(topic.id()) != null) {
            deleted.add(topic.id());
        }
        return topic;
    }

    TopicsImage apply() {
        if (changed.isEmpty() && deleted.isEmpty()) {
            return base;
        }
        Map<Uuid, TopicImage> byId = new HashMap<>(base.byId());
        Map<String, TopicImage> byName = new HashMap<>(base.byName());
        for (Uuid id : deleted) {
            byName.remove(byId.remove(id).name());
        }
        for (TopicImage topic : changed.values()) {
            byId.put(topic.id(), topic);
            byName.put(topic.name(), topic);
        }
        return new TopicsImage(byId, byName);
    }

    List<TopicImage> createdTopics() {
        return sortedByName(changed.values().stream().filter(t -> base.topic(t.id()) == null).toList());
    }

    List<TopicImage> deletedTopics() {
        return sortedByName(deleted.stream().map(base::topic).toList());
    }

    /** Created partitions and changed ones, each in (topic name, partition) order. */
    void partitionChanges(List<PartitionChange> created, List<PartitionChange> updated) {
        for (TopicImage topic : sortedByName(changed.values())) {
            TopicImage before = base.topic(topic.id());
            topic.partitions().forEach((partitionId, after) -> {
                PartitionRegistration old = before == null ? null : before.partition(partitionId);
                if (old == null) {
                    created.add(new PartitionChange(topic.name(), topic.id(), partitionId, Optional.empty(), after));
                } else if (!old.equals(after)) {
                    updated.add(new PartitionChange(topic.name(), topic.id(), partitionId, Optional.of(old), after));
                }
            });
        }
    }

    private TopicImage existing(Uuid id, String what) {
        TopicImage topic = topic(id);
        if (topic == null) {
            throw new MetadataReplayException(what + " for unknown topic id " + id);
        }
        return topic;
    }

    private static List<TopicImage> sortedByName(Collection<TopicImage> topics) {
        TreeMap<String, TopicImage> sorted = new TreeMap<>();
        topics.forEach(t -> sorted.put(t.name(), t));
        return new ArrayList<>(sorted.values());
    }
}
