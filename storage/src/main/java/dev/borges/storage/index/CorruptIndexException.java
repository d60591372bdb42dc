package dev.borges.storage.index;

/** An index file whose contents cannot be right; the segment rebuilds it from the log. */
public class CorruptIndexException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CorruptIndexException(String message) {
        super(message);
    }
}
