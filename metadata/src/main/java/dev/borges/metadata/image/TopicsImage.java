package dev.borges.metadata.image;

import dev.borges.metadata.record.MetadataRecord;
import dev.borges.protocol.types.Uuid;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every topic, by id and by name (the two maps always hold the same topics). Immutable; a new
 * image copies the maps, which is fine for thousands of topics (a persistent map would make it
 * O(changes) if that ever matters).
 */
public record TopicsImage(Map<Uuid, TopicImage> byId, Map<String, TopicImage> byName) {
    public static final TopicsImage EMPTY = new TopicsImage(Map.of(), Map.of());

    public TopicsImage {
        byId = Map.copyOf(byId);
        byName = Collections.unmodifiableMap(new TreeMap<>(byName));
        if (byId.size() != byName.size()) {
            throw new IllegalArgumentException(byId.size() + " topics by id but " + byName.size() + " by name");
        }
    }

    /** The topic with this name, or null. */
    public TopicImage topic(String name) {
        return byName.get(name);
    }

    /** The topic with this id, or null. */
    public TopicImage topic(Uuid id) {
        return byId.get(id);
    }

    public int size() {
        return byId.size();
    }

    /** Records for every topic and partition, topics in name order. */
    void toRecords(List<MetadataRecord> out) {
        for (TopicImage topic : byName.values()) {
            topic.toRecords(out);
        }
    }
}
