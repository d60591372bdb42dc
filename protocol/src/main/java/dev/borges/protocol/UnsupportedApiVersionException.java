package dev.borges.protocol;

/**
 * A request for a known API at a version this codec cannot read. It carries the request's header
 * (read with the header version the API's flexibility implies), so the broker can still answer:
 * Kafka answers an ApiVersions request at an unknown version with version 0 of the response,
 * error {@code UNSUPPORTED_VERSION} and its supported ranges, so the client can retry at a version
 * both sides know.
 */
public class UnsupportedApiVersionException extends UnsupportedVersionException {
    private static final long serialVersionUID = 1L;

    private final transient RequestHeader header;

    public UnsupportedApiVersionException(RequestHeader header) {
        super(header.apiKey().title + " version " + header.apiVersion() + " is not supported; versions "
            + header.apiKey().lowestVersion + "-" + header.apiKey().highestVersion + " are");
        this.header = header;
    }

    public RequestHeader header() {
        return header;
    }
}
