package dev.borges.protocol;

/**
 * A record batch failed validation: wrong CRC, impossible sizes or counts, unknown magic or
 * compression, records that do not fit the batch. Maps to Kafka's {@code CORRUPT_MESSAGE} error.
 */
public class CorruptRecordException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
