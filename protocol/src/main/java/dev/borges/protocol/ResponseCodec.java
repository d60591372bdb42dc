package dev.borges.protocol;

import dev.borges.protocol.message.ResponseHeaderData;
import dev.borges.protocol.types.ApiMessage;
import dev.borges.protocol.types.ByteBufferWriter;
import dev.borges.protocol.types.ProtocolReader;
import java.nio.ByteBuffer;

/**
 * Encodes responses into frames and decodes them. A response carries no API key or version of its
 * own: both come from the request it answers, and they decide the header version
 * ({@link ApiKey#responseHeaderVersion}) and the body's layout.
 */
public final class ResponseCodec {
    private ResponseCodec() {
    }

    /** Encodes a response frame, size prefix included. */
    public static ByteBuffer encode(ApiKey apiKey, short version, int correlationId, ApiMessage body) {
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(correlationId);
        short headerVersion = apiKey.responseHeaderVersion(version);
        int size = header.size(headerVersion) + body.size(version);
        ByteBuffer frame = ByteBuffer.allocate(Frames.SIZE_PREFIX_BYTES + size);
        frame.putInt(size);
        ByteBufferWriter writer = new ByteBufferWriter(frame);
        header.write(writer, headerVersion);
        body.write(writer, version);
        return frame.flip();
    }

    /** Decodes a response frame's payload (without its size prefix) for the request it answers. */
    public static Response decode(ByteBuffer frame, ApiKey apiKey, short version) {
        ProtocolReader reader = new ProtocolReader(frame);
        ResponseHeaderData header = new ResponseHeaderData(reader, apiKey.responseHeaderVersion(version));
        ApiMessage body = apiKey.newResponse();
        body.read(reader, version);
        return new Response(header.correlationId(), body);
    }
}
