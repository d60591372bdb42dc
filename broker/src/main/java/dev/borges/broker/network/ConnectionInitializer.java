package dev.borges.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds the pipeline of every accepted connection. Inbound runs top to bottom, outbound bottom to top:
 *
 * <pre>
 *   socket
 *     │ bytes                                        ▲ ByteBuf / FileRegion
 *   frameDecoder      (size prefix → frame)          │
 *   requestDecoder    (frame → Request)              │
 *     │                                        responseEncoder  (OutboundResponse → frame)
 *   inFlightLimiter   (at most N in flight; autoRead off while full)
 *   responseOrderer   (responses in request order)
 *     ▼ Request                                      │ OutboundResponse
 *   requestDispatcher (RequestHandlers → handler → CompletableFuture)
 * </pre>
 *
 * <p>Shared by every connection of a listener ({@code @Sharable} through {@link ChannelInitializer});
 * each connection gets its own handler instances. Connection ids follow Kafka's
 * {@code localHost:localPort-remoteHost:remotePort-index}, the index counting connections of this listener.
 */
final class ConnectionInitializer extends ChannelInitializer<Channel> {
    static final String FRAME_DECODER = "frameDecoder";
    static final String REQUEST_DECODER = "requestDecoder";
    static final String RESPONSE_ENCODER = "responseEncoder";
    static final String IN_FLIGHT_LIMITER = "inFlightLimiter";
    static final String RESPONSE_ORDERER = "responseOrderer";
    static final String REQUEST_DISPATCHER = "requestDispatcher";

    private final NetworkConfig config;
    private final RequestHandlers handlers;
    private final ChannelGroup connections;
    private final AtomicLong connectionCount = new AtomicLong();

    /** @param connections where each accepted connection is added (it leaves the group when closed) */
    ConnectionInitializer(NetworkConfig config, RequestHandlers handlers, ChannelGroup connections) {
        this.config = config;
        this.handlers = handlers;
        this.connections = connections;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        String connectionId = connectionId(channel.localAddress(), channel.remoteAddress(), connectionCount.getAndIncrement());
        addHandlers(channel.pipeline(), config, handlers, connectionId);
    }

    /** Adds the handlers, named, in pipeline order (also used by tests on an {@code EmbeddedChannel}). */
    static void addHandlers(ChannelPipeline pipeline, NetworkConfig config, RequestHandlers handlers, String connectionId) {
        pipeline.addLast(FRAME_DECODER, new FrameDecoder(config.maxRequestBytes()));
        pipeline.addLast(REQUEST_DECODER, new RequestDecoder(handlers));
        pipeline.addLast(RESPONSE_ENCODER, new ResponseEncoder());
        pipeline.addLast(IN_FLIGHT_LIMITER, new InFlightLimiter(config.maxInFlightRequestsPerConnection()));
        pipeline.addLast(RESPONSE_ORDERER, new ResponseOrderer());
        pipeline.addLast(REQUEST_DISPATCHER, new RequestDispatcher(handlers, connectionId, config.listenerName()));
    }

    static String connectionId(SocketAddress local, SocketAddress remote, long index) {
        return address(local) + "-" + address(remote) + "-" + index;
    }

    private static String address(SocketAddress address) {
        if (address instanceof java.net.InetSocketAddress inet) {
            return inet.getAddress() == null ? inet.getHostString() + ":" + inet.getPort()
                : inet.getAddress().getHostAddress() + ":" + inet.getPort();
        }
        return String.valueOf(address);
    }
}
