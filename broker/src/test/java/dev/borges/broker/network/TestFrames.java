package dev.borges.broker.network;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Frames;
import dev.borges.protocol.RequestCodec;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.Response;
import dev.borges.protocol.ResponseCodec;
import dev.borges.protocol.message.ApiVersionsRequestData;
import dev.borges.protocol.types.ApiMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Request frames in, response bytes out: helpers shared by the network tests. */
final class TestFrames {
    private TestFrames() {
    }

    static RequestHeader header(ApiKey apiKey, int version, int correlationId) {
        return new RequestHeader(apiKey, (short) version, correlationId, "test-client");
    }

    static ApiVersionsRequestData apiVersionsRequest() {
        return new ApiVersionsRequestData().setClientSoftwareName("borges-test").setClientSoftwareVersion("1.0");
    }

    /** A whole request frame, size prefix included. */
    static ByteBuffer requestFrame(RequestHeader header, ApiMessage body) {
        return RequestCodec.encode(header, body);
    }

    static ByteBuf requestFrameBuf(RequestHeader header, ApiMessage body) {
        return Unpooled.wrappedBuffer(requestFrame(header, body));
    }

    /** A request frame written by hand: the header (v1, or v2 when flexible) followed by {@code body} as is. */
    static ByteBuffer rawRequestFrame(int apiKey, int version, int correlationId, boolean flexibleHeader, byte[] body) {
        byte[] clientId = "test-client".getBytes(StandardCharsets.UTF_8);
        int headerSize = 2 + 2 + 4 + 2 + clientId.length + (flexibleHeader ? 1 : 0);
        ByteBuffer frame = ByteBuffer.allocate(Frames.SIZE_PREFIX_BYTES + headerSize + body.length);
        frame.putInt(headerSize + body.length)
            .putShort((short) apiKey)
            .putShort((short) version)
            .putInt(correlationId)
            .putShort((short) clientId.length)
            .put(clientId);
        if (flexibleHeader) {
            frame.put((byte) 0); // no tagged fields
        }
        return frame.put(body).flip();
    }

    /** The payload of a frame: the bytes after its size prefix. */
    static ByteBuffer payload(ByteBuffer frame) {
        ByteBuffer payload = frame.duplicate();
        payload.position(payload.position() + Frames.SIZE_PREFIX_BYTES);
        return payload.slice();
    }

    /** Everything the channel wrote, buffers and file regions alike, as bytes; releases what it reads. */
    static byte[] writtenBytes(EmbeddedChannel channel) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            appendPart(bytes, message);
        }
        return bytes.toByteArray();
    }

    /** The bytes of a list of encoded parts (ByteBuf or FileRegion), releasing them. */
    static byte[] bytesOf(List<Object> parts) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        parts.forEach(part -> appendPart(bytes, part));
        return bytes.toByteArray();
    }

    private static void appendPart(ByteArrayOutputStream bytes, Object part) {
        try {
            if (part instanceof ByteBuf buf) {
                byte[] array = new byte[buf.readableBytes()];
                buf.readBytes(array);
                bytes.write(array);
            } else if (part instanceof FileRegion region) {
                WritableByteChannel target = Channels.newChannel(bytes);
                while (region.transferred() < region.count()) {
                    region.transferTo(target, region.transferred());
                }
            } else {
                throw new AssertionError("Unexpected outbound message " + part);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            ReferenceCountUtil.release(part);
        }
    }

    /** Splits response bytes into frames and decodes each as a response to {@code apiKey} at {@code version}. */
    static List<Response> responses(byte[] bytes, ApiKey apiKey, int version) {
        ByteBuffer input = ByteBuffer.wrap(bytes);
        List<Response> responses = new ArrayList<>();
        ByteBuffer frame;
        while ((frame = Frames.nextFrame(input, Integer.MAX_VALUE)) != null) {
            responses.add(ResponseCodec.decode(frame, apiKey, (short) version));
        }
        if (input.hasRemaining()) {
            throw new AssertionError(input.remaining() + " bytes after the last whole frame");
        }
        return responses;
    }
}
