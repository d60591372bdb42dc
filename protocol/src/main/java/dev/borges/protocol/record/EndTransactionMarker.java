package dev.borges.protocol.record;

import dev.borges.protocol.CorruptRecordException;
import java.nio.ByteBuffer;

/**
 * A transaction marker: the single control record that ends a producer's transaction on one
 * partition, written by the transaction coordinator through WriteTxnMarkers. Its key is the
 * {@link ControlRecordType} key ({@link ControlRecordType#COMMIT} or {@link ControlRecordType#ABORT});
 * this class owns the value format, big-endian:
 *
 * <pre>
 * version           int16  0 (a reader accepts higher versions, which only append fields)
 * coordinatorEpoch  int32  epoch of the transaction coordinator that wrote the marker
 * </pre>
 *
 * Immutable; thread-safe.
 *
 * @param type {@link ControlRecordType#COMMIT} or {@link ControlRecordType#ABORT}
 * @param coordinatorEpoch the coordinator's epoch
 */
public record EndTransactionMarker(ControlRecordType type, int coordinatorEpoch) {
    public static final short CURRENT_VALUE_VERSION = 0;
    public static final int VALUE_SIZE = 6;

    public EndTransactionMarker {
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new IllegalArgumentException("A transaction marker is COMMIT or ABORT, not " + type);
        }
    }

    /** The marker record's value. */
    public byte[] value() {
        return ByteBuffer.allocate(VALUE_SIZE).putShort(CURRENT_VALUE_VERSION).putInt(coordinatorEpoch).array();
    }

    /**
     * A control batch holding only this marker, as the partition leader appends it.
     *
     * @param offset the marker's offset (the leader stamps the real one on append)
     * @param timestamp the marker's timestamp
     */
    public MemoryRecords toBatch(long offset, long timestamp, long producerId, short producerEpoch, int partitionLeaderEpoch) {
        return new RecordBatchBuilder(offset)
                .producer(producerId, producerEpoch, RecordBatch.NO_SEQUENCE)
                .transactional(true)
                .controlBatch(true)
                .partitionLeaderEpoch(partitionLeaderEpoch)
                .appendControlRecord(timestamp, type, value())
                .build();
    }

    /**
     * Reads a marker from a control record.
     *
     * @throws CorruptRecordException when the key is not COMMIT or ABORT, or the value is missing,
     *     shorter than six bytes or has a negative version
     */
    public static EndTransactionMarker parse(Record record) {
        ControlRecordType type = ControlRecordType.of(record);
        if (type != ControlRecordType.COMMIT && type != ControlRecordType.ABORT) {
            throw new CorruptRecordException("Control record at offset " + record.offset() + " is " + type
                    + ", not a transaction marker");
        }
        ByteBuffer value = record.value();
        if (value == null || value.remaining() < VALUE_SIZE) {
            throw new CorruptRecordException("Transaction marker at offset " + record.offset() + " has a value of "
                    + (value == null ? "null" : value.remaining() + " bytes") + "; it needs " + VALUE_SIZE);
        }
        short version = value.getShort(value.position());
        if (version < 0) {
            throw new CorruptRecordException("Transaction marker at offset " + record.offset() + " has negative version " + version);
        }
        return new EndTransactionMarker(type, value.getInt(value.position() + 2));
    }
}
