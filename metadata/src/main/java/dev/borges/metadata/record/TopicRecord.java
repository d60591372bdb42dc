package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.util.Objects;

/**
 * A topic was created with this name and id. Its partitions follow as {@link PartitionRecord}s in
 * the same batch.
 */
public record TopicRecord(String name, Uuid topicId) implements MetadataRecord {
    public TopicRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(topicId, "topicId");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.TOPIC;
    }
}
