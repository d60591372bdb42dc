package dev.borges.broker.network;

import static dev.borges.broker.network.TestFrames.apiVersionsRequest;
import static dev.borges.broker.network.TestFrames.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Request;
import dev.borges.protocol.message.ApiVersionsResponseData;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

    /** Stands in for the socket: keeps each write's promise so a test decides when the bytes are "sent". */
    private static final class HeldWrites extends ChannelOutboundHandlerAdapter {
        final List<ChannelPromise> promises = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            promises.add(promise);
        }

        void completeNext() {
            promises.remove(0).setSuccess();
        }
    }

    private final HeldWrites socket = new HeldWrites();

    private EmbeddedChannel channel(int maxInFlight) {
        return new EmbeddedChannel(socket, new InFlightLimiter(maxInFlight));
    }

    private static Request request(int correlationId) {
        return new Request(header(ApiKey.API_VERSIONS, 3, correlationId), apiVersionsRequest());
    }

    private static OutboundResponse response(Request request) {
        return OutboundResponse.of(request.header(), new ApiVersionsResponseData());
    }

    private static List<Integer> admitted(EmbeddedChannel channel) {
        List<Integer> ids = new ArrayList<>();
        Request request;
        while ((request = channel.readInbound()) != null) {
            ids.add(request.header().correlationId());
        }
        return ids;
    }

    @Test
    void stopsReadingWhileARequestIsInFlightAndResumesWhenItsResponseIsSent() {
        EmbeddedChannel channel = channel(1);
        Request first = request(1);

        channel.writeInbound(first);
        assertThat(admitted(channel)).containsExactly(1);
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.writeAndFlush(response(first));
        assertThat(channel.config().isAutoRead()).as("still sending the response").isFalse();

        socket.completeNext();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void holdsRequestsAlreadyReadBeyondTheLimitAndReleasesThemOneByOne() {
        EmbeddedChannel channel = channel(1);
        Request first = request(1);
        Request second = request(2);
        Request third = request(3);

        channel.writeInbound(first, second, third);
        assertThat(admitted(channel)).containsExactly(1);

        channel.writeAndFlush(response(first));
        socket.completeNext();
        assertThat(admitted(channel)).containsExactly(2);
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.writeAndFlush(response(second));
        socket.completeNext();
        assertThat(admitted(channel)).containsExactly(3);

        channel.writeAndFlush(response(third));
        socket.completeNext();
        assertThat(admitted(channel)).isEmpty();
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void admitsUpToTheConfiguredNumberAtOnce() {
        EmbeddedChannel channel = channel(2);
        Request first = request(1);

        channel.writeInbound(first);
        assertThat(channel.config().isAutoRead()).isTrue();
        channel.writeInbound(request(2), request(3));
        assertThat(admitted(channel)).containsExactly(1, 2);
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.writeAndFlush(response(first));
        socket.completeNext();
        assertThat(admitted(channel)).containsExactly(3);
    }

    @Test
    void aFailedResponseWriteAlsoEndsTheRequest() {
        EmbeddedChannel channel = channel(1);
        Request first = request(1);
        channel.writeInbound(first, request(2));
        admitted(channel);

        channel.writeAndFlush(response(first));
        socket.promises.remove(0).setFailure(new java.io.IOException("broken pipe"));

        assertThat(admitted(channel)).containsExactly(2);
    }

    @Test
    void gracefulCloseWaitsForTheInFlightResponseThenCloses() {
        EmbeddedChannel channel = channel(1);
        Request first = request(1);
        channel.writeInbound(first, request(2));
        assertThat(admitted(channel)).containsExactly(1);

        channel.pipeline().fireUserEventTriggered(GracefulClose.INSTANCE);
        assertThat(channel.isOpen()).isTrue();
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.writeAndFlush(response(first));
        assertThat(channel.isOpen()).isTrue();
        socket.completeNext();
        assertThat(channel.isOpen()).isFalse();
        assertThat(admitted(channel)).as("the waiting request was never started").isEmpty();
    }

    @Test
    void gracefulCloseClosesAnIdleConnectionAtOnce() {
        EmbeddedChannel channel = channel(1);

        channel.pipeline().fireUserEventTriggered(GracefulClose.INSTANCE);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void passesOtherMessagesAndEventsThrough() {
        EmbeddedChannel channel = channel(1);
        channel.writeInbound("not a request");
        channel.pipeline().fireUserEventTriggered("some event");

        assertThat(channel.<Object>readInbound()).isEqualTo("not a request");
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.isOpen()).isTrue();
    }
}
