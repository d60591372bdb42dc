package dev.borges.metadata.record;

/**
 * A block of producer ids was handed to {@code brokerId}: the ids from the previous
 * {@code nextProducerId} up to (excluding) this one. Replay only moves {@code nextProducerId}
 * forward; the block itself is the controller's reply.
 */
public record ProducerIdsRecord(int brokerId, long nextProducerId) implements MetadataRecord {
    public ProducerIdsRecord {
        if (nextProducerId < 0) {
            throw new IllegalArgumentException("nextProducerId " + nextProducerId + " is negative");
        }
    }

    @Override
    public MetadataRecordType type() {
        return MetadataRecordType.PRODUCER_IDS;
    }
}
