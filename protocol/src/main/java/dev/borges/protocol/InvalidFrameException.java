package dev.borges.protocol;

/** A frame's size prefix is negative or above the configured maximum; the connection must close. */
public class InvalidFrameException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public InvalidFrameException(String message) {
        super(message);
    }
}
