package dev.borges.protocol.record;

/**
 * What a batch's timestamps mean, stored in attribute bit 3 of a v2 batch: the producer's clock
 * ({@link #CREATE_TIME}) or the broker's at append ({@link #LOG_APPEND_TIME}). With log append time,
 * every record's timestamp is the batch's max timestamp, whatever the record's delta says.
 */
public enum TimestampType {
    CREATE_TIME(0, "CreateTime"),
    LOG_APPEND_TIME(1, "LogAppendTime");

    /** Attribute bit that is set for {@link #LOG_APPEND_TIME}. */
    public static final int ATTRIBUTE_MASK = 0x08;

    private final int id;
    private final String displayName;

    TimestampType(int id, String displayName) {
        this.id = id;
        this.displayName = displayName;
    }

    /** The id Kafka uses on the wire in ListOffsets and config ({@code message.timestamp.type}). */
    public int id() {
        return id;
    }

    /** The name Kafka's {@code message.timestamp.type} configuration uses. */
    public String configName() {
        return displayName;
    }

    static TimestampType fromAttributes(short attributes) {
        return (attributes & ATTRIBUTE_MASK) != 0 ? LOG_APPEND_TIME : CREATE_TIME;
    }
}
