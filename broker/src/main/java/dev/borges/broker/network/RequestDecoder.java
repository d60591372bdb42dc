package dev.borges.broker.network;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.ProtocolException;
import dev.borges.protocol.Request;
import dev.borges.protocol.RequestCodec;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.UnsupportedApiVersionException;
import dev.borges.protocol.message.ApiVersionsResponseData;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline handler {@code requestDecoder}: turns a frame (from {@link FrameDecoder}) into a
 * {@link Request} with {@link RequestCodec}, and rejects what this broker cannot handle, as Kafka does:
 *
 * <ul>
 *   <li>bytes that do not form a request, or an unknown API key: warning, connection closed;
 *   <li>an API without a registered handler ({@link RequestHandlers}): warning, connection closed;
 *   <li>ApiVersions at a version not handled (newer than the codec, or outside the registered
 *       range): answered, not closed: an {@link AnsweredRequest} carrying an ApiVersions response at
 *       version 0 with error {@code UNSUPPORTED_VERSION} and the range of ApiVersions this broker
 *       handles (exactly Kafka's {@code ApiVersionsRequest.getErrorResponse}), so the client retries
 *       at a version both know;
 *   <li>any other API at a version not handled: warning, connection closed.
 * </ul>
 *
 * <p>{@code records} fields of the request are views over the frame. Threading: one instance per
 * connection, used only on its event loop.
 */
final class RequestDecoder extends MessageToMessageDecoder<ByteBuffer> {
    private static final Logger log = LoggerFactory.getLogger(RequestDecoder.class);

    private final RequestHandlers handlers;

    RequestDecoder(RequestHandlers handlers) {
        super(ByteBuffer.class);
        this.handlers = handlers;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuffer frame, List<Object> out) {
        if (!ctx.channel().isActive()) {
            return; // closed by an earlier frame of the same read
        }
        Request request;
        try {
            request = RequestCodec.decode(frame);
        } catch (UnsupportedApiVersionException e) {
            rejectVersion(ctx, e.header(), out);
            return;
        } catch (ProtocolException e) {
            close(ctx, e.getMessage());
            return;
        } catch (RuntimeException e) {
            log.error("Closing connection from {}: decoding a request failed", ctx.channel().remoteAddress(), e);
            ctx.close();
            return;
        }
        RequestHeader header = request.header();
        if (!handlers.supports(header.apiKey(), header.apiVersion())) {
            rejectVersion(ctx, header, out);
            return;
        }
        out.add(request);
    }

    private void rejectVersion(ChannelHandlerContext ctx, RequestHeader header, List<Object> out) {
        ApiKey apiKey = header.apiKey();
        ApiVersionsResponseData.ApiVersion handled = handlers.apiVersion(apiKey);
        if (handled == null) {
            close(ctx, apiKey.title + " (key " + apiKey.id + ") is not handled on this listener");
            return;
        }
        if (apiKey == ApiKey.API_VERSIONS) {
            ApiVersionsResponseData response = new ApiVersionsResponseData()
                .setErrorCode(Errors.UNSUPPORTED_VERSION.code)
                .setApiKeys(List.of(handled));
            out.add(new AnsweredRequest(new OutboundResponse(header, (short) 0, response)));
            return;
        }
        close(ctx, apiKey.title + " version " + header.apiVersion() + " is not supported; versions "
            + handled.minVersion() + "-" + handled.maxVersion() + " are");
    }

    private static void close(ChannelHandlerContext ctx, String reason) {
        log.warn("Closing connection from {}: {}", ctx.channel().remoteAddress(), reason);
        ctx.close();
    }
}
