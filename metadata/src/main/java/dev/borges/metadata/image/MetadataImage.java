package dev.borges.metadata.image;

import dev.borges.metadata.record.MetadataRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The cluster metadata at one point of the metadata log: topics and partitions, config overrides,
 * registered brokers, and the next producer id. Immutable, so any thread may read one without
 * locks; the controller publishes a new image after each committed batch ({@link MetadataDelta}).
 *
 * <p>An image is equal to the image rebuilt from its {@link #toRecords()}: that list is what a
 * snapshot stores.
 */
public record MetadataImage(TopicsImage topics, ConfigsImage configs, ClusterImage cluster, ProducerIdsImage producerIds) {
    public static final MetadataImage EMPTY =
        new MetadataImage(TopicsImage.EMPTY, ConfigsImage.EMPTY, ClusterImage.EMPTY, ProducerIdsImage.EMPTY);

    public MetadataImage {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(configs, "configs");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(producerIds, "producerIds");
    }

    public boolean isEmpty() {
        return equals(EMPTY);
    }

    /**
     * Records that rebuild this image when replayed onto {@link #EMPTY}: brokers, then each topic with
     * its partitions, then configs, then the producer id counter.
     */
    public List<MetadataRecord> toRecords() {
        List<MetadataRecord> records = new ArrayList<>();
        cluster.toRecords(records);
        topics.toRecords(records);
        configs.toRecords(records);
        producerIds.toRecords(records);
        return records;
    }
}
