package dev.borges.broker.network;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Frames;
import dev.borges.protocol.message.ResponseHeaderData;
import dev.borges.protocol.types.ApiMessage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.PromiseCombiner;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline handler {@code responseEncoder}: writes an {@link OutboundResponse} as a response frame.
 *
 * <pre>
 * +-------------+---------------------------------------------+-----------------------------+
 * | size: int32 | ResponseHeader v0 (correlation id) or v1    | body at the response version |
 * |             | (+ tagged fields): ApiKey.responseHeaderVersion                            |
 * +-------------+---------------------------------------------+-----------------------------+
 * </pre>
 *
 * <p>The size is computed up front from {@code header.size + body.size(version)}, then the frame is
 * written through a {@link ByteBufProtocolWriter}: one {@code ByteBuf} for most responses; for a
 * Fetch response whose {@code records} are log segment slices, buffers and zero-copy file regions
 * alternate. A response that sends nothing ({@code acks=0}) completes its promise without writing.
 * A response that cannot be encoded (wrong API, a field its version cannot carry, a size that does
 * not match) is a broker bug: logged as an error, and the connection is closed, because the client
 * could never pair later responses.
 *
 * <p>Threading: one instance per connection, used only on its event loop.
 */
final class ResponseEncoder extends ChannelOutboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ResponseEncoder.class);

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutboundResponse response)) {
            ctx.write(msg, promise);
            return;
        }
        if (response.sendsNothing()) {
            promise.trySuccess();
            return;
        }
        List<Object> parts;
        try {
            parts = encode(ctx.alloc(), response);
        } catch (RuntimeException e) {
            log.error("Closing connection from {}: cannot encode the {} v{} response to correlation id {}",
                ctx.channel().remoteAddress(), response.request().apiKey().title, response.version(),
                response.request().correlationId(), e);
            promise.tryFailure(e);
            ctx.close();
            return;
        }
        writeParts(ctx, parts, promise);
    }

    private static void writeParts(ChannelHandlerContext ctx, List<Object> parts, ChannelPromise promise) {
        if (parts.size() == 1) {
            ctx.write(parts.get(0), promise);
            return;
        }
        if (promise.isVoid()) {
            parts.forEach(part -> ctx.write(part, promise));
            return;
        }
        PromiseCombiner combiner = new PromiseCombiner(ctx.executor());
        for (Object part : parts) {
            combiner.add(ctx.write(part, ctx.newPromise()));
        }
        combiner.finish(promise);
    }

    /**
     * Encodes a response frame, size prefix included, into buffers and file regions in send order.
     * The caller owns the parts.
     *
     * @throws IllegalStateException if the body is not a response of the request's API, or its bytes
     *                               do not add up to the size it declared
     */
    static List<Object> encode(ByteBufAllocator allocator, OutboundResponse response) {
        ApiKey apiKey = response.request().apiKey();
        ApiMessage body = response.body();
        if (body.apiKey() != apiKey.id) {
            throw new IllegalStateException("A response of API key " + body.apiKey() + " answers a " + apiKey.title + " request");
        }
        short version = response.version();
        short headerVersion = apiKey.responseHeaderVersion(version);
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.request().correlationId());
        int size = header.size(headerVersion) + body.size(version);
        ByteBufProtocolWriter writer = new ByteBufProtocolWriter(allocator, Frames.SIZE_PREFIX_BYTES + size);
        try {
            writer.writeInt(size);
            header.write(writer, headerVersion);
            body.write(writer, version);
            long written = writer.bytesWritten();
            if (written != Frames.SIZE_PREFIX_BYTES + (long) size) {
                throw new IllegalStateException(apiKey.title + " v" + version + " response declared " + size
                    + " bytes but wrote " + (written - Frames.SIZE_PREFIX_BYTES));
            }
            return writer.finish();
        } catch (RuntimeException e) {
            writer.release();
            throw e;
        }
    }
}
