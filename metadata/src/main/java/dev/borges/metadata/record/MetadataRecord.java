package dev.borges.metadata.record;

/**
 * One record of the metadata log. Records are immutable values; the controller creates them, the
 * {@link MetadataRecordSerde} writes them into Ratis log entries and snapshots, and
 * {@code MetadataDelta.replay} is the only code that turns them into state.
 *
 * <p>Every implementation validates its fields in its constructor (non-null, non-negative ids,
 * unmodifiable lists), so a decoded record is as well-formed as one built in code.
 */
public sealed interface MetadataRecord
    permits TopicRecord, PartitionRecord, PartitionChangeRecord, RemoveTopicRecord, ConfigRecord,
    RegisterBrokerRecord, ProducerIdsRecord {

    /** The record's type, which fixes its id and layout on disk. */
    MetadataRecordType type();
}
