package dev.borges.metadata.record;

/**
 * Bytes that do not decode as metadata records: truncated input, an unknown record type or a
 * version newer than this code knows, a negative or oversized length or count, invalid UTF-8, a null
 * where a value is required, or bytes left over. The message says what and at which byte. Raised
 * only by {@link MetadataRecordSerde}; never a raw {@code BufferUnderflowException}.
 */
public class MalformedMetadataRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedMetadataRecordException(String message) {
        super(message);
    }

    public MalformedMetadataRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
