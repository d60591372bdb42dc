package dev.borges.broker.group.consumer;

import dev.borges.protocol.types.Uuid;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The topics of the cluster as consumer group operations see them: names, ids and partition
 * counts. The broker backs it with its current metadata image; tests use {@link #of}. Operations
 * take one per call and do not keep it.
 *
 * <p>Implementations must be immutable (a snapshot), so one operation sees one consistent set of
 * topics, and any thread may read them.
 */
public interface TopicsView {

    /** The topic with this name, or null if there is none. */
    TopicInfo topic(String name);

    /** The topic with this id, or null if there is none. */
    TopicInfo topic(Uuid id);

    /** Every topic name, for regex subscriptions. */
    Collection<String> topicNames();

    /**
     * Identifies this content: two views with the same version hold the same topics, so results
     * computed from one (regex matches) hold for the other. The metadata image's offset will do.
     */
    long version();

    /** A topic: its id, name and number of partitions. */
    record TopicInfo(Uuid id, String name, int partitionCount) {
        public TopicInfo {
            Objects.requireNonNull(id);
            Objects.requireNonNull(name);
        }
    }

    /** An immutable view of these topics. */
    static TopicsView of(long version, List<TopicInfo> topics) {
        Map<String, TopicInfo> byName = new TreeMap<>();
        Map<Uuid, TopicInfo> byId = new HashMap<>();
        for (TopicInfo topic : topics) {
            byName.put(topic.name(), topic);
            byId.put(topic.id(), topic);
        }
        return new TopicsView() {
            @Override
            public TopicInfo topic(String name) {
                return byName.get(name);
            }

            @Override
            public TopicInfo topic(Uuid id) {
                return byId.get(id);
            }

            @Override
            public Collection<String> topicNames() {
                return byName.keySet();
            }

            @Override
            public long version() {
                return version;
            }
        };
    }
}
