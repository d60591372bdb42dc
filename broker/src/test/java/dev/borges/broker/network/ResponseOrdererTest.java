package dev.borges.broker.network;

import static dev.borges.broker.network.TestFrames.apiVersionsRequest;
import static dev.borges.broker.network.TestFrames.header;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Request;
import dev.borges.protocol.message.ApiVersionsResponseData;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseOrdererTest {
    private final ResponseOrderer orderer = new ResponseOrderer();
    private final EmbeddedChannel channel = new EmbeddedChannel(orderer);

    private Request arrive(int correlationId) {
        Request request = new Request(header(ApiKey.API_VERSIONS, 3, correlationId), apiVersionsRequest());
        channel.writeInbound(request);
        assertThat(channel.<Object>readInbound()).isSameAs(request);
        return request;
    }

    private ChannelFuture answer(Request request) {
        return channel.writeAndFlush(OutboundResponse.of(request.header(), new ApiVersionsResponseData()));
    }

    private ChannelFuture answerWithNothing(Request request) {
        return channel.writeAndFlush(OutboundResponse.of(request.header(), null));
    }

    private List<Integer> writtenCorrelationIds() {
        List<Integer> ids = new ArrayList<>();
        OutboundResponse response;
        while ((response = channel.readOutbound()) != null) {
            ids.add(response.request().correlationId());
        }
        return ids;
    }

    @Test
    void writesResponsesInRequestOrderWhenHandlersFinishInReverse() {
        Request first = arrive(1);
        Request second = arrive(2);
        Request third = arrive(3);

        answer(third);
        answer(second);
        assertThat(writtenCorrelationIds()).isEmpty();

        answer(first);
        assertThat(writtenCorrelationIds()).containsExactly(1, 2, 3);
        assertThat(orderer.pendingResponses()).isZero();
    }

    @Test
    void writesEachResponseAtOnceWhenHandlersFinishInOrder() {
        Request first = arrive(1);
        Request second = arrive(2);

        answer(first);
        assertThat(writtenCorrelationIds()).containsExactly(1);
        answer(second);
        assertThat(writtenCorrelationIds()).containsExactly(2);
    }

    @Test
    void holdsLaterResponsesBehindAnUnansweredRequest() {
        Request first = arrive(1);
        Request second = arrive(2);
        Request third = arrive(3);

        answer(first);
        answer(third);
        assertThat(writtenCorrelationIds()).containsExactly(1);

        answer(second);
        assertThat(writtenCorrelationIds()).containsExactly(2, 3);
    }

    @Test
    void responsesThatSendNothingKeepTheirPlaceInTheOrder() {
        Request first = arrive(1);
        Request silent = arrive(2);
        Request third = arrive(3);

        answer(third);
        answerWithNothing(silent);
        assertThat(writtenCorrelationIds()).isEmpty();

        answer(first);
        List<OutboundResponse> written = new ArrayList<>();
        OutboundResponse response;
        while ((response = channel.readOutbound()) != null) {
            written.add(response);
        }
        assertThat(written).extracting(r -> r.request().correlationId()).containsExactly(1, 2, 3);
        assertThat(written.get(1).sendsNothing()).isTrue();
    }

    @Test
    void pairsResponsesByRequestEvenWhenClientsReuseCorrelationIds() {
        Request first = arrive(5);
        Request second = arrive(5);

        ChannelFuture secondWrite = channel.writeAndFlush(OutboundResponse.of(second.header(), new ApiVersionsResponseData().setThrottleTimeMs(2)));
        assertThat(channel.<Object>readOutbound()).isNull();
        channel.writeAndFlush(OutboundResponse.of(first.header(), new ApiVersionsResponseData().setThrottleTimeMs(1)));

        OutboundResponse one = channel.readOutbound();
        OutboundResponse two = channel.readOutbound();
        assertThat(((ApiVersionsResponseData) one.body()).throttleTimeMs()).isEqualTo(1);
        assertThat(((ApiVersionsResponseData) two.body()).throttleTimeMs()).isEqualTo(2);
        assertThat(secondWrite.isSuccess()).isTrue();
    }

    @Test
    void failsAResponseToARequestItNeverSaw() {
        ChannelFuture write = channel.writeAndFlush(OutboundResponse.of(header(ApiKey.API_VERSIONS, 3, 9), new ApiVersionsResponseData()));

        assertThat(write.cause()).isInstanceOf(IllegalStateException.class);
        assertThat(channel.<Object>readOutbound()).isNull();
    }

    @Test
    void failsHeldResponsesWhenTheConnectionCloses() {
        arrive(1);
        Request second = arrive(2);
        ChannelFuture held = answer(second);

        channel.close();

        assertThat(held.cause()).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void passesOtherMessagesThrough() {
        channel.writeInbound("not a request");
        channel.writeOutbound("not a response");

        assertThat(channel.<Object>readInbound()).isEqualTo("not a request");
        assertThat(channel.<Object>readOutbound()).isEqualTo("not a response");
        assertThat(orderer.pendingResponses()).isZero();
    }
}
