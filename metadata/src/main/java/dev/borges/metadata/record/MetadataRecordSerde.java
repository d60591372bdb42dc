package dev.borges.metadata.record;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Encodes and decodes metadata records: one Ratis log entry holds one <em>batch</em>, committed and
 * applied atomically; a snapshot file holds one batch that rebuilds the whole image.
 *
 * <p><b>Why hand-written.</b> The protocol generator reads only Kafka's schema directory at build
 * time; seven small records do not justify a second generator input. Each record's layout is listed
 * here, and {@code MetadataRecordSerdeTest} checks round trips and rejection of bad input.
 *
 * <h2>Format</h2>
 * <pre>
 * batch  := format:int8 (= 0) count:uvarint { size:uvarint record[size] } * count
 * record := type:uvarint version:uvarint fields(type, version)
 * </pre>
 * Field encodings:
 * <ul>
 *   <li>{@code int32}, {@code int64}: zigzag varint / varlong (small negatives stay short)</li>
 *   <li>{@code string?}: unsigned varint (byte length + 1, 0 for null), then UTF-8</li>
 *   <li>{@code int32[]?}: unsigned varint (count + 1, 0 for null), then each int32</li>
 *   <li>{@code uuid}: 16 bytes, most significant half first</li>
 * </ul>
 * Version 0 of each type (the only version so far):
 * <pre>
 * 1 TOPIC            name:string topicId:uuid
 * 2 PARTITION        topicId:uuid partitionId:int32 replicas:int32[] isr:int32[] leader:int32
 *                    leaderEpoch:int32 partitionEpoch:int32
 * 3 PARTITION_CHANGE topicId:uuid partitionId:int32 isr:int32[]? (null = unchanged)
 *                    leader:int32 (-2 = unchanged, -1 = none) replicas:int32[]? (null = unchanged)
 * 4 REMOVE_TOPIC     topicId:uuid
 * 5 CONFIG           resourceType:int8 (2 topic, 4 broker) resourceName:string name:string value:string?
 * 6 REGISTER_BROKER  brokerId:int32 incarnationId:uuid endpointCount:uvarint
 *                    { listener:string host:string port:int32 } * endpointCount rack:string?
 * 7 PRODUCER_IDS     brokerId:int32 nextProducerId:int64
 * </pre>
 * A new version may only add fields at the end of a record; the decoder reads the fields its
 * version has and rejects versions newer than {@link MetadataRecordType#currentVersion}. Inside a
 * batch each record must use exactly its {@code size} bytes.
 *
 * <p>Stateless and thread-safe.
 */
public final class MetadataRecordSerde {
    /** The batch format this code writes and reads. */
    public static final byte BATCH_FORMAT = 0;
    private static final int NO_LEADER_CHANGE = -2;

    private MetadataRecordSerde() {
    }

    /** One record, without a size prefix. */
    public static byte[] encode(MetadataRecord record) {
        RecordWriter writer = new RecordWriter();
        write(record, writer);
        return writer.toByteArray();
    }

    /** A batch of records, as one Ratis log entry or snapshot holds it. */
    public static byte[] encodeBatch(List<? extends MetadataRecord> records) {
        RecordWriter writer = new RecordWriter();
        writer.writeByte(BATCH_FORMAT);
        writer.writeUnsignedVarint(records.size());
        for (MetadataRecord record : records) {
            byte[] bytes = encode(record);
            writer.writeUnsignedVarint(bytes.length);
            writer.writeBytes(bytes, 0, bytes.length);
        }
        return writer.toByteArray();
    }

    /** Decodes one record that fills the buffer from its position to its limit. */
    public static MetadataRecord decode(ByteBuffer buffer) {
        RecordReader reader = new RecordReader(buffer.slice());
        MetadataRecord record = read(reader);
        if (reader.remaining() != 0) {
            throw new MalformedMetadataRecordException(
                reader.remaining() + " bytes left over after a record ending at byte " + reader.position());
        }
        return record;
    }

    /** Decodes a batch that fills the buffer from its position to its limit. */
    public static List<MetadataRecord> decodeBatch(ByteBuffer buffer) {
        RecordReader reader = new RecordReader(buffer.slice());
        byte format = reader.readByte("format");
        if (format != BATCH_FORMAT) {
            throw new MalformedMetadataRecordException("Unknown batch format " + format + " (this code reads "
                + BATCH_FORMAT + ")");
        }
        int count = reader.readUnsignedVarint("count");
        // Each record takes at least a size byte, a type byte and a version byte.
        if (count < 0 || (long) count * 3 > reader.remaining()) {
            throw new MalformedMetadataRecordException("Batch claims " + Integer.toUnsignedString(count)
                + " records but only " + reader.remaining() + " bytes remain");
        }
        ByteBuffer input = buffer.slice();
        List<MetadataRecord> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int size = reader.readUnsignedVarint("size");
            if (size < 0 || size > reader.remaining()) {
                throw new MalformedMetadataRecordException("Record " + i + " claims " + Integer.toUnsignedString(size)
                    + " bytes at byte " + reader.position() + " but only " + reader.remaining() + " remain");
            }
            int start = reader.position();
            ByteBuffer recordBytes = input.slice(start, size);
            try {
                records.add(decode(recordBytes));
            } catch (MalformedMetadataRecordException e) {
                throw new MalformedMetadataRecordException("Record " + i + " at byte " + start + ": " + e.getMessage(), e);
            }
            reader.skip(size);
        }
        if (reader.remaining() != 0) {
            throw new MalformedMetadataRecordException(reader.remaining() + " bytes left over after " + count + " records");
        }
        return records;
    }

    private static void write(MetadataRecord record, RecordWriter writer) {
        MetadataRecordType type = record.type();
        writer.writeUnsignedVarint(type.id);
        writer.writeUnsignedVarint(type.currentVersion);
        switch (type) {
            case TOPIC -> {
                TopicRecord topic = (TopicRecord) record;
                writer.writeNullableString(topic.name());
                writer.writeUuid(topic.topicId());
            }
            case PARTITION -> {
                PartitionRecord partition = (PartitionRecord) record;
                writer.writeUuid(partition.topicId());
                writer.writeInt(partition.partitionId());
                writer.writeNullableIntList(partition.replicas());
                writer.writeNullableIntList(partition.isr());
                writer.writeInt(partition.leader());
                writer.writeInt(partition.leaderEpoch());
                writer.writeInt(partition.partitionEpoch());
            }
            case PARTITION_CHANGE -> {
                PartitionChangeRecord change = (PartitionChangeRecord) record;
                writer.writeUuid(change.topicId());
                writer.writeInt(change.partitionId());
                writer.writeNullableIntList(change.isr().orElse(null));
                writer.writeInt(change.leader().orElse(NO_LEADER_CHANGE));
                writer.writeNullableIntList(change.replicas().orElse(null));
            }
            case REMOVE_TOPIC -> writer.writeUuid(((RemoveTopicRecord) record).topicId());
            case CONFIG -> {
                ConfigRecord config = (ConfigRecord) record;
                writer.writeByte(config.resource().type().id);
                writer.writeNullableString(config.resource().name());
                writer.writeNullableString(config.name());
                writer.writeNullableString(config.value());
            }
            case REGISTER_BROKER -> {
                RegisterBrokerRecord broker = (RegisterBrokerRecord) record;
                writer.writeInt(broker.brokerId());
                writer.writeUuid(broker.incarnationId());
                writer.writeUnsignedVarint(broker.endpoints().size());
                for (RegisterBrokerRecord.Endpoint endpoint : broker.endpoints()) {
                    writer.writeNullableString(endpoint.listener());
                    writer.writeNullableString(endpoint.host());
                    writer.writeInt(endpoint.port());
                }
                writer.writeNullableString(broker.rack().orElse(null));
            }
            case PRODUCER_IDS -> {
                ProducerIdsRecord ids = (ProducerIdsRecord) record;
                writer.writeInt(ids.brokerId());
                writer.writeLong(ids.nextProducerId());
            }
            default -> throw new IllegalStateException("No encoder for " + type);
        }
    }

    private static MetadataRecord read(RecordReader reader) {
        int typeId = reader.readUnsignedVarint("type");
        MetadataRecordType type = MetadataRecordType.forId(typeId);
        if (type == null) {
            throw new MalformedMetadataRecordException("Unknown metadata record type " + Integer.toUnsignedString(typeId));
        }
        int version = reader.readUnsignedVarint("version");
        if (version < 0 || version > type.currentVersion) {
            throw new MalformedMetadataRecordException(type + " version " + Integer.toUnsignedString(version)
                + " is newer than this code reads (" + type.currentVersion + ")");
        }
        try {
            return readFields(type, reader);
        } catch (IllegalArgumentException | NullPointerException e) {
            // A field decoded but its value is not allowed (a negative partition id, a port over 65535, …).
            throw new MalformedMetadataRecordException(type + " record has an invalid field: " + e.getMessage(), e);
        }
    }

    private static MetadataRecord readFields(MetadataRecordType type, RecordReader reader) {
        return switch (type) {
            case TOPIC -> new TopicRecord(reader.readString("name"), reader.readUuid("topicId"));
            case PARTITION -> new PartitionRecord(
                reader.readUuid("topicId"),
                reader.readInt("partitionId"),
                reader.readIntList("replicas"),
                reader.readIntList("isr"),
                reader.readInt("leader"),
                reader.readInt("leaderEpoch"),
                reader.readInt("partitionEpoch"));
            case PARTITION_CHANGE -> {
                var topicId = reader.readUuid("topicId");
                int partitionId = reader.readInt("partitionId");
                var isr = Optional.ofNullable(reader.readNullableIntList("isr"));
                int leader = reader.readInt("leader");
                var replicas = Optional.ofNullable(reader.readNullableIntList("replicas"));
                yield new PartitionChangeRecord(topicId, partitionId, isr,
                    leader == NO_LEADER_CHANGE ? OptionalInt.empty() : OptionalInt.of(leader), replicas);
            }
            case REMOVE_TOPIC -> new RemoveTopicRecord(reader.readUuid("topicId"));
            case CONFIG -> {
                byte typeId = reader.readByte("resourceType");
                ConfigResource.Type resourceType = ConfigResource.Type.forId(typeId);
                if (resourceType == null) {
                    throw reader.malformed("resourceType", "has unknown value " + typeId);
                }
                var resource = new ConfigResource(resourceType, reader.readString("resourceName"));
                yield new ConfigRecord(resource, reader.readString("name"), reader.readNullableString("value"));
            }
            case REGISTER_BROKER -> {
                int brokerId = reader.readInt("brokerId");
                var incarnationId = reader.readUuid("incarnationId");
                int count = reader.readUnsignedVarint("endpointCount");
                // An endpoint takes at least three bytes: two empty strings and a port.
                if (count < 0 || (long) count * 3 > reader.remaining()) {
                    throw reader.malformed("endpointCount", "claims " + Integer.toUnsignedString(count)
                        + " endpoints with " + reader.remaining() + " bytes left");
                }
                List<RegisterBrokerRecord.Endpoint> endpoints = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    endpoints.add(new RegisterBrokerRecord.Endpoint(
                        reader.readString("listener"), reader.readString("host"), reader.readInt("port")));
                }
                yield new RegisterBrokerRecord(brokerId, incarnationId, endpoints,
                    Optional.ofNullable(reader.readNullableString("rack")));
            }
            case PRODUCER_IDS -> new ProducerIdsRecord(reader.readInt("brokerId"), reader.readLong("nextProducerId"));
        };
    }
}
