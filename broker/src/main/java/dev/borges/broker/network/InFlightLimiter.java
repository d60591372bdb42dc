package dev.borges.broker.network;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.ArrayDeque;

/**
 * Pipeline handler {@code inFlightLimiter}: backpressure per connection. At most
 * {@code maxInFlight} requests of a connection are handled at once; while that many are in flight
 * the connection stops reading from its socket ({@code autoRead} off), and it reads again once a
 * response has been written.
 *
 * <p>Why: Kafka handles one request per connection at a time (its processor mutes a channel from the
 * moment a request is read until its response has been sent), and clients rely on the effects:
 * requests of a connection are processed in order, and a client that pipelines cannot make the
 * broker buffer without bound. The default limit is therefore 1. A request counts as in flight from
 * the moment it passes this handler until its response has been written to the socket (its write
 * promise completes), or until its empty response ({@code acks=0}) passes; so a client that does not
 * read its responses stops being read as well, and memory per connection stays bounded by one
 * read's worth of frames plus {@code maxInFlight} responses.
 *
 * <p>Requests that one socket read has already delivered beyond the limit wait here, in order, and
 * are let through one per completed response; none is dropped.
 *
 * <p>On {@link GracefulClose}: stops reading, drops the waiting requests (they were never started),
 * and closes the connection once the in-flight responses have been written.
 *
 * <p>Threading: one instance per connection, used only on its event loop (promise listeners run there too).
 */
final class InFlightLimiter extends ChannelDuplexHandler {
    private final int maxInFlight;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private int inFlight;
    private boolean closing;

    InFlightLimiter(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (InboundRequests.headerOf(msg) == null) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (closing) {
            return;
        }
        if (inFlight < maxInFlight && waiting.isEmpty()) {
            admit(ctx, msg);
        } else {
            waiting.addLast(msg);
        }
        updateAutoRead(ctx);
    }

    private void admit(ChannelHandlerContext ctx, Object request) {
        inFlight++;
        ctx.fireChannelRead(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutboundResponse)) {
            ctx.write(msg, promise);
            return;
        }
        ChannelPromise tracked = promise.unvoid();
        tracked.addListener(written -> responseDone(ctx));
        ctx.write(msg, tracked);
    }

    private void responseDone(ChannelHandlerContext ctx) {
        inFlight--;
        if (closing) {
            if (inFlight == 0) {
                ctx.close();
            }
            return;
        }
        while (inFlight < maxInFlight && !waiting.isEmpty() && ctx.channel().isActive()) {
            admit(ctx, waiting.pollFirst());
        }
        updateAutoRead(ctx);
    }

    private void updateAutoRead(ChannelHandlerContext ctx) {
        boolean read = !closing && inFlight < maxInFlight && waiting.isEmpty();
        if (ctx.channel().config().isAutoRead() != read) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event != GracefulClose.INSTANCE) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        closing = true;
        waiting.clear();
        updateAutoRead(ctx);
        if (inFlight == 0) {
            ctx.close();
        }
    }

    /** Requests being handled (tests and diagnostics). */
    int inFlight() {
        return inFlight;
    }

    /** Requests read but not yet let through (tests and diagnostics). */
    int waiting() {
        return waiting.size();
    }
}
