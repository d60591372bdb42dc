package dev.borges.protocol;

/**
 * A message version this codec does not handle, an API key it does not know, or a value that the
 * requested version cannot carry (writing it would silently lose information).
 * Maps to Kafka's {@code UNSUPPORTED_VERSION} error.
 */
public class UnsupportedVersionException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public UnsupportedVersionException(String message) {
        super(message);
    }
}
