package dev.borges.broker.group.record;

/** A {@code __consumer_offsets} key or value that does not decode: truncated, a null where none may be, an unknown version. */
public final class MalformedRecordException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String message) {
        super(message);
    }
}
