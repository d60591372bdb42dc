package dev.borges.metadata.image;

import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.ProducerIdsRecord;
import java.util.List;

/** The first producer id not yet handed out to any broker. Starts at 0; only moves forward. */
public record ProducerIdsImage(long nextProducerId) {
    public static final ProducerIdsImage EMPTY = new ProducerIdsImage(0);

    /** Snapshots do not know which broker got the last block; they write broker id -1. */
    void toRecords(List<MetadataRecord> out) {
        if (nextProducerId > 0) {
            out.add(new ProducerIdsRecord(-1, nextProducerId));
        }
    }
}
