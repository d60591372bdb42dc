package dev.borges.broker.network;

import dev.borges.protocol.Request;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.types.ApiMessage;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pipeline handler {@code requestDispatcher}, the last one: calls the {@link RequestHandler}
 * registered for each {@link Request}'s API and writes its answer as an {@link OutboundResponse}
 * (flushed; {@link ResponseOrderer} holds it until its turn). An {@link AnsweredRequest} is written
 * as it is.
 *
 * <p>Errors: a request for an API without a handler, a handler that throws, or a future that
 * completes exceptionally closes the connection: handlers answer bad requests with error codes, so
 * any of these is a broker bug (logged as an error), and a client left without an answer would wait
 * for it forever. Kafka also closes a connection on an API it does not serve. Exceptions that
 * reach the end of the pipeline (a reset connection) close it too.
 *
 * <p>Threading: one instance per connection. Handlers are called on the connection's event loop in
 * arrival order; their futures may complete on any thread, and the write is handed to the event
 * loop by Netty.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final RequestHandlers handlers;
    private final String connectionId;
    private final String listenerName;

    RequestDispatcher(RequestHandlers handlers, String connectionId, String listenerName) {
        this.handlers = handlers;
        this.connectionId = connectionId;
        this.listenerName = listenerName;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof AnsweredRequest answered) {
            write(ctx, answered.response());
        } else if (msg instanceof Request request) {
            dispatch(ctx, request);
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Request request) {
        RequestHeader header = request.header();
        RequestHandler handler = handlers.handlerFor(header.apiKey());
        if (handler == null) {
            log.warn("Closing connection {} from {}: {} has no handler", connectionId, ctx.channel().remoteAddress(), header.apiKey().title);
            ctx.close();
            return;
        }
        RequestContext context = new RequestContext(header, clientAddress(ctx), connectionId, listenerName);
        CompletableFuture<ApiMessage> response;
        try {
            response = handler.handle(context, request.body());
        } catch (RuntimeException e) {
            handlerFailed(ctx, header, e);
            return;
        }
        if (response == null) {
            handlerFailed(ctx, header, new IllegalStateException("The handler returned no future"));
            return;
        }
        response.whenComplete((body, failure) -> {
            if (failure != null) {
                handlerFailed(ctx, header, failure);
            } else {
                write(ctx, OutboundResponse.of(header, body));
            }
        });
    }

    private void write(ChannelHandlerContext ctx, OutboundResponse response) {
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) written -> {
            if (!written.isSuccess() && written.channel().isActive()) {
                log.error("Closing connection {} from {}: writing the {} response to correlation id {} failed", connectionId,
                    written.channel().remoteAddress(), response.request().apiKey().title, response.request().correlationId(),
                    written.cause());
                written.channel().close();
            }
        });
    }

    private void handlerFailed(ChannelHandlerContext ctx, RequestHeader header, Throwable failure) {
        log.error("Closing connection {} from {}: the {} v{} handler failed on correlation id {} (client {})", connectionId,
            ctx.channel().remoteAddress(), header.apiKey().title, header.apiVersion(), header.correlationId(), header.clientId(), failure);
        ctx.close();
    }

    /**
     * The end of the pipeline for errors: an I/O error is a client going away (logged at debug, as
     * Kafka does for disconnects); anything else is unexpected (warning). Either way the connection closes.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("Closing connection {} from {}: {}", connectionId, ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("Closing connection {} from {}", connectionId, ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private static InetSocketAddress clientAddress(ChannelHandlerContext ctx) {
        return ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address : null;
    }
}
