package dev.borges.metadata.image;

/**
 * A record does not fit the image it is replayed onto: a partition of an unknown topic, a second
 * topic with a taken name, a producer id that goes backwards. The controller validates before it
 * writes, so this means a bug or a damaged log; the state machine then skips the whole batch
 * (batches are atomic) and the image stays as it was.
 */
public class MetadataReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MetadataReplayException(String message) {
        super(message);
    }
}
