package dev.borges.metadata.record;

import dev.borges.protocol.types.Uuid;
import java.util.Objects;

/** The topic with this id was deleted, with its partitions and its configs. */
public record RemoveTopicRecord(Uuid topicId) implements MetadataRecord {
    public RemoveTopicRecord {
        Objects.requireNonNull(topicId, "topicId");
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.REMOVE_TOPIC;
    }
}
