package dev.borges.protocol.record;

import dev.borges.protocol.CorruptRecordException;
import java.nio.ByteBuffer;

/**
 * The kind of a control record, stored in its key. Control records live only in control batches
 * (attribute bit 5) and are never handed to applications: transaction markers ({@link #ABORT},
 * {@link #COMMIT}, see {@link EndTransactionMarker}) and the KRaft metadata log's own records.
 * This class owns the key format, big-endian:
 *
 * <pre>
 * version  int16  0 (a reader accepts higher versions, which only append fields)
 * type     int16  the id below
 * </pre>
 *
 * Ids this broker does not know read as {@link #UNKNOWN}, as Kafka's clients do, so a newer peer's
 * control records pass through. Immutable; thread-safe.
 */
public enum ControlRecordType {
    ABORT(0),
    COMMIT(1),
    LEADER_CHANGE(2),
    SNAPSHOT_HEADER(3),
    SNAPSHOT_FOOTER(4),
    KRAFT_VERSION(5),
    KRAFT_VOTERS(6),
    /** A type id this version does not know; never written. */
    UNKNOWN(-1);

    public static final short CURRENT_KEY_VERSION = 0;
    public static final int KEY_SIZE = 4;

    private final short id;

    ControlRecordType(int id) {
        this.id = (short) id;
    }

    /** The type id stored in the key. */
    public short id() {
        return id;
    }

    /** The control record key for this type. */
    public byte[] key() {
        if (this == UNKNOWN) {
            throw new IllegalStateException("UNKNOWN is not a writable control record type");
        }
        return ByteBuffer.allocate(KEY_SIZE).putShort(CURRENT_KEY_VERSION).putShort(id).array();
    }

    /** The type with this id, or {@link #UNKNOWN}. */
    public static ControlRecordType fromId(short id) {
        for (ControlRecordType type : values()) {
            if (type.id == id && type != UNKNOWN) {
                return type;
            }
        }
        return UNKNOWN;
    }

    /**
     * The type named by a control record key (read from its position, which is not moved).
     *
     * @throws CorruptRecordException when the key is missing, shorter than four bytes or has a
     *     negative version
     */
    public static ControlRecordType parseKey(ByteBuffer key) {
        if (key == null || key.remaining() < KEY_SIZE) {
            throw new CorruptRecordException("Control record key has " + (key == null ? "no bytes (null)" : key.remaining() + " bytes")
                    + "; it needs " + KEY_SIZE);
        }
        short version = key.getShort(key.position());
        if (version < 0) {
            throw new CorruptRecordException("Control record key has negative version " + version);
        }
        return fromId(key.getShort(key.position() + 2));
    }

    /** The type of a control record. */
    public static ControlRecordType of(Record record) {
        return parseKey(record.key());
    }
}
