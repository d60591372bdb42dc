package dev.borges.broker.network;

import dev.borges.protocol.RequestHeader;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Pipeline handler {@code responseOrderer}: responses leave in the order their requests arrived,
 * whatever order the handlers finish in. Kafka's clients pair responses to requests by position on
 * the connection (and check the correlation id), so this order is part of the protocol.
 *
 * <p>Each request passing inbound ({@link InboundRequests#headerOf}) takes a slot at the back of a
 * queue. An {@link OutboundResponse} fills its request's slot (found by header identity); then every
 * filled slot at the front is written on, in order. Responses that send nothing ({@code acks=0})
 * fill their slot like any other, so they hold their place and release the ones behind them.
 * A response for a request this handler never saw is a broker bug: its promise fails.
 *
 * <p>The queue holds at most the connection's in-flight requests ({@link InFlightLimiter} bounds
 * them). When the connection closes, held responses are dropped and their promises fail.
 *
 * <p>Threading: one instance per connection, used only on its event loop (writes from other
 * threads reach it through the event loop, as Netty does for every write).
 */
final class ResponseOrderer extends ChannelDuplexHandler {
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    private static final class Slot {
        final RequestHeader request;
        OutboundResponse response;
        ChannelPromise promise;

        Slot(RequestHeader request) {
            this.request = request;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        RequestHeader header = InboundRequests.headerOf(msg);
        if (header != null) {
            slots.addLast(new Slot(header));
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutboundResponse response)) {
            ctx.write(msg, promise);
            return;
        }
        Slot slot = slotOf(response.request());
        if (slot == null || slot.response != null) {
            promise.tryFailure(new IllegalStateException("No request awaits a response to " + response.request()));
            return;
        }
        slot.response = response;
        slot.promise = promise;
        writeFilledSlotsAtFront(ctx);
    }

    private Slot slotOf(RequestHeader request) {
        for (Slot slot : slots) {
            if (slot.request == request) {
                return slot;
            }
        }
        return null;
    }

    /** Polls before writing: a write may re-enter this handler (a promise listener dispatching the next request). */
    private void writeFilledSlotsAtFront(ChannelHandlerContext ctx) {
        Slot head;
        while ((head = slots.peekFirst()) != null && head.response != null) {
            slots.pollFirst();
            ctx.write(head.response, head.promise);
        }
    }

    /** Requests waiting for their responses (tests and diagnostics). */
    int pendingResponses() {
        return slots.size();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failHeldResponses();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        failHeldResponses();
    }

    private void failHeldResponses() {
        Iterator<Slot> held = slots.iterator();
        while (held.hasNext()) {
            Slot slot = held.next();
            held.remove();
            if (slot.promise != null) {
                slot.promise.tryFailure(new ClosedChannelException());
            }
        }
    }
}
