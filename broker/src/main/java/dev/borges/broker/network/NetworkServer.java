package dev.borges.broker.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One listener: accepts Kafka protocol connections on {@code host:port} and runs each through the
 * pipeline of {@link ConnectionInitializer}, dispatching requests to {@link RequestHandlers}.
 *
 * <p>Lifecycle: {@link #start()} once, then {@link #stop()} once (also via {@link #close()}); a
 * stopped server cannot be restarted. Stopping is graceful: stop accepting, stop reading every
 * connection, let responses already being produced go out (up to
 * {@link NetworkConfig#shutdownTimeout()}), close the connections, shut the event loops down.
 *
 * <p>Threading: one acceptor thread and {@link NetworkConfig#eventLoopThreads()} event-loop threads
 * (epoll where available, else NIO); each connection lives on one event loop for its whole life, and
 * so do its handlers. {@code start} and {@code stop} may be called from any thread, not concurrently.
 * Sockets: {@code SO_REUSEADDR} on the listener (a restarted broker can rebind at once),
 * {@code TCP_NODELAY} and {@code SO_KEEPALIVE} on connections, as Kafka sets them.
 */
public final class NetworkServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetworkServer.class);

    private final NetworkConfig config;
    private final RequestHandlers handlers;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptorGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private volatile InetSocketAddress boundAddress;
    private boolean started;
    private boolean stopped;

    public NetworkServer(NetworkConfig config, RequestHandlers handlers) {
        this.config = Objects.requireNonNull(config, "config");
        this.handlers = Objects.requireNonNull(handlers, "handlers");
    }

    /**
     * Binds the listener and starts accepting connections.
     *
     * @throws IllegalStateException if already started
     * @throws InterruptedException  if interrupted while binding
     * @throws java.io.IOException   (thrown unchecked by Netty as its cause) if the address cannot be bound
     */
    public synchronized void start() throws InterruptedException {
        if (started) {
            throw new IllegalStateException("The " + config.listenerName() + " listener was already started");
        }
        started = true;
        boolean epoll = Epoll.isAvailable();
        String name = "borges-network-" + config.listenerName().toLowerCase(java.util.Locale.ROOT);
        acceptorGroup = newGroup(epoll, 1, name + "-acceptor");
        ioGroup = newGroup(epoll, config.eventLoopThreads(), name);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap bootstrap = new ServerBootstrap()
            .group(acceptorGroup, ioGroup)
            .channel(channelType)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(new ConnectionInitializer(config, handlers, connections));
        ChannelFuture bound = bootstrap.bind(config.host(), config.port()).await();
        if (!bound.isSuccess()) {
            stopped = true;
            shutDownGroups();
            throw new IllegalStateException("Cannot bind the " + config.listenerName() + " listener to "
                + config.host() + ":" + config.port(), bound.cause());
        }
        serverChannel = bound.channel();
        boundAddress = (InetSocketAddress) serverChannel.localAddress();
        log.info("Listening for Kafka clients on {} ({} listener, {}, {} event loops, socket.request.max.bytes={}, "
                + "{} request(s) in flight per connection)", boundAddress, config.listenerName(), epoll ? "epoll" : "nio",
            config.eventLoopThreads(), config.maxRequestBytes(), config.maxInFlightRequestsPerConnection());
    }

    private static EventLoopGroup newGroup(boolean epoll, int threads, String threadName) {
        DefaultThreadFactory threadFactory = new DefaultThreadFactory(threadName, true);
        return epoll ? new EpollEventLoopGroup(threads, threadFactory) : new NioEventLoopGroup(threads, threadFactory);
    }

    /**
     * The address the listener is bound to (with the actual port when configured with 0); it stays
     * readable after {@link #stop()}.
     *
     * @throws IllegalStateException if the listener has not been bound
     */
    public InetSocketAddress boundAddress() {
        InetSocketAddress address = boundAddress;
        if (address == null) {
            throw new IllegalStateException("The " + config.listenerName() + " listener is not started");
        }
        return address;
    }

    /** The port the listener is bound to (the actual one when configured with 0). */
    public int port() {
        return boundAddress().getPort();
    }

    /** Connections currently open (diagnostics and tests). */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Stops gracefully: stops accepting, lets in-flight responses go out and closes every connection
     * (forcibly after {@link NetworkConfig#shutdownTimeout()}), then shuts the event loops down.
     * Does nothing if not started, already stopped, or if starting failed.
     */
    public synchronized void stop() throws InterruptedException {
        if (!started || stopped) {
            return;
        }
        stopped = true;
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        serverChannel.close().await();
        for (Channel connection : connections) {
            connection.pipeline().fireUserEventTriggered(GracefulClose.INSTANCE);
        }
        if (!connections.newCloseFuture().await(remainingMillis(deadline), TimeUnit.MILLISECONDS)) {
            log.warn("Closing {} connection(s) of the {} listener with responses still in flight after {}",
                connections.size(), config.listenerName(), config.shutdownTimeout());
            connections.close().await();
        }
        shutDownGroups();
        log.info("Stopped the {} listener on {}", config.listenerName(), boundAddress);
    }

    private void shutDownGroups() throws InterruptedException {
        Future<?> acceptor = acceptorGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        Future<?> io = ioGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptor.await();
        io.await();
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** {@link #stop()}; if interrupted, the thread's interrupt flag is set again and the event loops may still be stopping. */
    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
