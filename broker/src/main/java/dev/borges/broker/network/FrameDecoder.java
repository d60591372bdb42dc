package dev.borges.broker.network;

import dev.borges.protocol.Frames;
import dev.borges.protocol.InvalidFrameException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline handler {@code frameDecoder}: cuts the byte stream into request frames.
 *
 * <pre>
 * +-------------+--------------------------------------+
 * | size: int32 | request header + body: size bytes    |   → a heap ByteBuffer of exactly size bytes
 * +-------------+--------------------------------------+
 * </pre>
 *
 * <p>The size is checked with {@link Frames#checkFrameSize} against {@code socket.request.max.bytes}
 * as soon as its four bytes arrive; a negative or oversized size closes the connection with a warning
 * naming the client, and every byte after it is discarded. Nothing is allocated for a claimed size:
 * bytes accumulate as they arrive, and the frame is copied out only once whole.
 *
 * <p>Each frame is copied once into its own heap buffer (as Kafka's {@code NetworkReceive} reads a
 * request into a buffer of its size): decoded requests keep views over it ({@code records} fields),
 * and handlers may hold them after this read, even on other threads, without reference counting.
 *
 * <p>Threading: one instance per connection, used only on its event loop.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    private final int maxFrameBytes;
    private boolean discarding;

    FrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < Frames.SIZE_PREFIX_BYTES) {
            return;
        }
        int size;
        try {
            size = Frames.checkFrameSize(in.getInt(in.readerIndex()), maxFrameBytes);
        } catch (InvalidFrameException e) {
            discarding = true;
            in.skipBytes(in.readableBytes());
            log.warn("Closing connection from {}: {} (socket.request.max.bytes)", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        if (in.readableBytes() - Frames.SIZE_PREFIX_BYTES < size) {
            return;
        }
        in.skipBytes(Frames.SIZE_PREFIX_BYTES);
        ByteBuffer frame = ByteBuffer.allocate(size);
        in.readBytes(frame);
        out.add(frame.flip());
    }
}
