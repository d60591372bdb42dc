package dev.borges.protocol;

/**
 * Base of every error the protocol layer raises for bad input: a malformed frame, message or record
 * batch, or a version or API this codec does not know. Callers catch this one type at the edge
 * (the network layer closes the connection or answers with a Kafka error code) and never see a raw
 * {@code BufferUnderflowException}, {@code NegativeArraySizeException} or {@code OutOfMemoryError}.
 */
public class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
