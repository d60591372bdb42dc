package dev.borges.protocol;

import dev.borges.protocol.types.ApiMessage;
import dev.borges.protocol.types.ByteBufferWriter;
import java.nio.ByteBuffer;

/**
 * Turns a request frame into a {@link Request} and back. Body fields that carry records stay
 * views over the frame's buffer: decoding a Produce request copies no record bytes.
 */
public final class RequestCodec {
    private RequestCodec() {
    }

    /**
     * Decodes a frame's payload (without its size prefix).
     *
     * @throws UnsupportedApiVersionException for a known API at a version the codec cannot read; it
     *         carries the header, so the broker can still answer (ApiVersions: with its ranges)
     * @throws UnsupportedVersionException for an unknown API key
     * @throws MalformedMessageException   for bytes that do not form the message the header announced
     */
    public static Request decode(ByteBuffer frame) {
        RequestHeader header = RequestHeader.read(frame);
        if (!header.apiKey().isVersionSupported(header.apiVersion())) {
            throw new UnsupportedApiVersionException(header);
        }
        ApiMessage body = header.apiKey().newRequest();
        body.read(frame, header.apiVersion());
        return new Request(header, body);
    }

    /** Encodes header and body into a frame, size prefix included, ready to send. */
    public static ByteBuffer encode(RequestHeader header, ApiMessage body) {
        if (body.apiKey() != header.apiKey().id) {
            throw new IllegalArgumentException("Body of API " + body.apiKey() + " under a header for " + header.apiKey());
        }
        int size = header.size() + body.size(header.apiVersion());
        ByteBuffer frame = ByteBuffer.allocate(Frames.SIZE_PREFIX_BYTES + size);
        frame.putInt(size);
        ByteBufferWriter writer = new ByteBufferWriter(frame);
        header.write(writer);
        body.write(writer, header.apiVersion());
        return frame.flip();
    }
}
