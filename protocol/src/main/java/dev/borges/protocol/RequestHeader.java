package dev.borges.protocol;

import dev.borges.protocol.message.RequestHeaderData;
import dev.borges.protocol.types.ProtocolReader;
import dev.borges.protocol.types.ProtocolWriter;
import java.nio.ByteBuffer;

/**
 * The header in front of every request: API key, API version, correlation id and client id
 * (plus tagged fields from header version 2). Which header version applies depends on whether the
 * API version is flexible; see {@link ApiKey#requestHeaderVersion}.
 *
 * @param apiVersion may be a version the codec does not know (the body then fails to decode), so
 *                   that a broker can still answer ApiVersions with {@code UNSUPPORTED_VERSION}
 */
public record RequestHeader(ApiKey apiKey, short apiVersion, int correlationId, String clientId) {

    public short headerVersion() {
        return apiKey.requestHeaderVersion(apiVersion);
    }

    /**
     * Reads a request header from the start of a frame, leaving the buffer at the body.
     *
     * @throws UnsupportedVersionException for an API key the codec does not know
     * @throws MalformedMessageException   for a truncated or malformed header
     */
    public static RequestHeader read(ByteBuffer frame) {
        if (frame.remaining() < 4) {
            throw new MalformedMessageException("Request of " + frame.remaining() + " bytes is too short for a header");
        }
        short key = frame.getShort(frame.position());
        short version = frame.getShort(frame.position() + 2);
        ApiKey apiKey = ApiKey.forId(key);
        if (apiKey == null) {
            throw new UnsupportedVersionException("Unknown API key " + key);
        }
        RequestHeaderData data = new RequestHeaderData(new ProtocolReader(frame), apiKey.requestHeaderVersion(version));
        return new RequestHeader(apiKey, version, data.correlationId(), data.clientId());
    }

    public int size() {
        return toData().size(headerVersion());
    }

    public void write(ProtocolWriter writer) {
        toData().write(writer, headerVersion());
    }

    private RequestHeaderData toData() {
        return new RequestHeaderData()
            .setRequestApiKey(apiKey.id)
            .setRequestApiVersion(apiVersion)
            .setCorrelationId(correlationId)
            .setClientId(clientId);
    }
}
