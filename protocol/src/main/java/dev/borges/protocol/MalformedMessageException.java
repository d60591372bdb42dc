package dev.borges.protocol;

/**
 * The bytes do not form a valid message: truncated input, a negative or oversized length or count,
 * an over-long varint, a null where the schema forbids one. The message says what and at which byte.
 */
public class MalformedMessageException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
