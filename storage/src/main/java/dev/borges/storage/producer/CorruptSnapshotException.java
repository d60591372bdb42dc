package dev.borges.storage.producer;

/** A producer snapshot that cannot be trusted: torn, truncated, bit-flipped or of an unknown version. */
final class CorruptSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    CorruptSnapshotException(String message) {
        super(message);
    }
}
