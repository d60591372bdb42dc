package dev.borges.metadata.record;

/**
 * The kinds of record in the metadata log, with the id that identifies each on disk and the newest
 * version this code writes. Ids are never reused: a retired record type keeps its number.
 *
 * <p>The decoder accepts versions {@code 0..currentVersion}; a newer version (written by a newer
 * Borges) is rejected with {@link MalformedMetadataRecordException} rather than half-read.
 */
public enum MetadataRecordType {
    TOPIC(1, (short) 0),
    PARTITION(2, (short) 0),
    PARTITION_CHANGE(3, (short) 0),
    REMOVE_TOPIC(4, (short) 0),
    CONFIG(5, (short) 0),
    REGISTER_BROKER(6, (short) 0),
    PRODUCER_IDS(7, (short) 0);

    private static final MetadataRecordType[] BY_ID = new MetadataRecordType[8];

    static {
        for (MetadataRecordType type : values()) {
            BY_ID[type.id] = type;
        }
    }

    /** The id written in front of every record of this type. */
    public final int id;
    /** The newest version of this record's layout; what the encoder writes. */
    public final short currentVersion;

    MetadataRecordType(int id, short currentVersion) {
        this.id = id;
        this.currentVersion = currentVersion;
    }

    /** The type with this id, or null when the id is unknown. */
    public static MetadataRecordType forId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
