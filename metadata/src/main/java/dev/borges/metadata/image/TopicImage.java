package dev.borges.metadata.image;

import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.TopicRecord;
import dev.borges.protocol.types.Uuid;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/** A topic: name, id and partitions by partition id (ordered). Immutable. */
public record TopicImage(String name, Uuid id, SortedMap<Integer, PartitionRegistration> partitions) {
    public TopicImage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(id, "id");
        partitions = Collections.unmodifiableSortedMap(new TreeMap<>(partitions));
    }

    static TopicImage create(String name, Uuid id) {
        return new TopicImage(name, id, new TreeMap<>());
    }

    public int partitionCount() {
        return partitions.size();
    }

    /** The partition, or null when this topic has no partition with that id. */
    public PartitionRegistration partition(int partitionId) {
        return partitions.get(partitionId);
    }

    TopicImage withPartition(int partitionId, PartitionRegistration partition) {
        TreeMap<Integer, PartitionRegistration> copy = new TreeMap<>(partitions);
        copy.put(partitionId, partition);
        return new TopicImage(name, id, copy);
    }

    /** The records that recreate this topic: its TopicRecord, then one PartitionRecord per partition. */
    public void toRecords(List<MetadataRecord> out) {
        out.add(new TopicRecord(name, id));
        for (Map.Entry<Integer, PartitionRegistration> entry : partitions.entrySet()) {
            out.add(entry.getValue().toRecord(id, entry.getKey()));
        }
    }
}
