package dev.borges.broker.network;

import static dev.borges.broker.network.TestFrames.apiVersionsRequest;
import static dev.borges.broker.network.TestFrames.header;
import static dev.borges.broker.network.TestFrames.rawRequestFrame;
import static dev.borges.broker.network.TestFrames.requestFrameBuf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.Frames;
import dev.borges.protocol.Response;
import dev.borges.protocol.ResponseCodec;
import dev.borges.protocol.message.ApiVersionsResponseData;
import dev.borges.protocol.message.ProduceRequestData;
import dev.borges.protocol.message.ProduceResponseData;
import dev.borges.protocol.types.ApiMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The whole pipeline of one connection on an {@code EmbeddedChannel}: request bytes in, response bytes out. */
class ConnectionPipelineTest {
    private static final String CONNECTION_ID = "127.0.0.1:9092-127.0.0.1:50000-0";

    /** ApiVersions answers are held until the test completes them, keyed by correlation id. */
    private final Map<Integer, CompletableFuture<ApiMessage>> pending = new ConcurrentHashMap<>();
    private final List<RequestContext> contexts = new ArrayList<>();

    private final RequestHandler heldApiVersions = (context, request) -> {
        contexts.add(context);
        CompletableFuture<ApiMessage> future = new CompletableFuture<>();
        pending.put(context.header().correlationId(), future);
        return future;
    };

    /** Produce: no response for acks=0, as Kafka. */
    private static final RequestHandler PRODUCE = (context, request) -> CompletableFuture.completedFuture(
        ((ProduceRequestData) request).acks() == 0 ? null : new ProduceResponseData().setThrottleTimeMs(context.header().correlationId()));

    private EmbeddedChannel pipeline(int maxInFlight, RequestHandlers handlers) {
        EmbeddedChannel channel = new EmbeddedChannel();
        NetworkConfig config = NetworkConfig.listener("127.0.0.1", 0).withListenerName("INTERNAL")
            .withMaxRequestBytes(1 << 20).withMaxInFlightRequestsPerConnection(maxInFlight);
        ConnectionInitializer.addHandlers(channel.pipeline(), config, handlers, CONNECTION_ID);
        return channel;
    }

    private EmbeddedChannel pipeline(int maxInFlight) {
        return pipeline(maxInFlight, RequestHandlers.builder()
            .register(ApiKey.API_VERSIONS, heldApiVersions)
            .register(ApiKey.PRODUCE, PRODUCE)
            .build());
    }

    private static ByteBuf apiVersions(int correlationId) {
        return requestFrameBuf(header(ApiKey.API_VERSIONS, 3, correlationId), apiVersionsRequest());
    }

    private static ByteBuf produce(int correlationId, int acks) {
        return requestFrameBuf(header(ApiKey.PRODUCE, 9, correlationId), new ProduceRequestData().setAcks((short) acks));
    }

    private void answer(int correlationId) {
        pending.remove(correlationId).complete(new ApiVersionsResponseData().setThrottleTimeMs(correlationId));
    }

    /** Correlation ids of the response frames written, in order. */
    private static List<Integer> writtenCorrelationIds(EmbeddedChannel channel) {
        ByteBuffer bytes = ByteBuffer.wrap(TestFrames.writtenBytes(channel));
        List<Integer> ids = new ArrayList<>();
        ByteBuffer frame;
        while ((frame = Frames.nextFrame(bytes, Integer.MAX_VALUE)) != null) {
            ids.add(frame.getInt(0)); // response header v0 and v1 both start with the correlation id
        }
        assertThat(bytes.hasRemaining()).isFalse();
        return ids;
    }

    @Test
    void namesEveryHandlerInPipelineOrder() {
        EmbeddedChannel channel = pipeline(1);

        assertThat(channel.pipeline().names()).startsWith(
            "frameDecoder", "requestDecoder", "responseEncoder", "inFlightLimiter", "responseOrderer", "requestDispatcher");
    }

    @Test
    void answersARequestWithAResponseFrame() {
        EmbeddedChannel channel = pipeline(1);

        channel.writeInbound(apiVersions(7));
        answer(7);

        List<Response> responses = TestFrames.responses(TestFrames.writtenBytes(channel), ApiKey.API_VERSIONS, 3);
        assertThat(responses).containsExactly(new Response(7, new ApiVersionsResponseData().setThrottleTimeMs(7)));
    }

    @Test
    void givesHandlersTheHeaderConnectionIdAndListener() {
        EmbeddedChannel channel = pipeline(1);

        channel.writeInbound(apiVersions(7));

        assertThat(contexts).hasSize(1);
        RequestContext context = contexts.get(0);
        assertThat(context.header()).isEqualTo(header(ApiKey.API_VERSIONS, 3, 7));
        assertThat(context.connectionId()).isEqualTo(CONNECTION_ID);
        assertThat(context.listenerName()).isEqualTo("INTERNAL");
    }

    @Test
    void writesResponsesInRequestOrderWhenHandlersCompleteOutOfOrder() {
        EmbeddedChannel channel = pipeline(3);
        channel.writeInbound(Unpooled.wrappedBuffer(apiVersions(1), apiVersions(2), apiVersions(3)));
        assertThat(pending).containsOnlyKeys(1, 2, 3);

        answer(3);
        answer(2);
        assertThat(writtenCorrelationIds(channel)).isEmpty();
        answer(1);

        assertThat(writtenCorrelationIds(channel)).containsExactly(1, 2, 3);
    }

    @Test
    void requestsWithoutAResponseKeepTheOrderOfTheOthers() {
        EmbeddedChannel channel = pipeline(3);

        channel.writeInbound(Unpooled.wrappedBuffer(apiVersions(1), produce(2, 0), produce(3, 1)));
        assertThat(writtenCorrelationIds(channel)).as("all wait for the first").isEmpty();
        answer(1);

        assertThat(writtenCorrelationIds(channel)).containsExactly(1, 3);
    }

    @Test
    void handlesOneRequestAtATimePerConnectionByDefault() {
        EmbeddedChannel channel = pipeline(1);

        channel.writeInbound(Unpooled.wrappedBuffer(apiVersions(1), apiVersions(2), apiVersions(3)));
        assertThat(pending).containsOnlyKeys(1);
        assertThat(channel.config().isAutoRead()).isFalse();

        answer(1);
        assertThat(pending).containsOnlyKeys(2);
        answer(2);
        answer(3);

        assertThat(writtenCorrelationIds(channel)).containsExactly(1, 2, 3);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void aRequestWithoutAResponseFreesItsInFlightSlot() {
        EmbeddedChannel channel = pipeline(1);

        channel.writeInbound(Unpooled.wrappedBuffer(produce(1, 0), produce(2, 0), produce(3, 1)));

        assertThat(writtenCorrelationIds(channel)).containsExactly(3);
        assertThat(channel.config().isAutoRead()).isTrue();
    }

    @Test
    void answersApiVersionsAtAnUnknownVersionInOrderBehindEarlierRequests() {
        EmbeddedChannel channel = pipeline(3);
        ByteBuf unknownVersion = Unpooled.wrappedBuffer(rawRequestFrame(ApiKey.API_VERSIONS.id, 99, 2, true, new byte[] {0, 0, 0}));

        channel.writeInbound(Unpooled.wrappedBuffer(apiVersions(1), unknownVersion));
        assertThat(writtenCorrelationIds(channel)).isEmpty();
        answer(1);

        ByteBuffer bytes = ByteBuffer.wrap(TestFrames.writtenBytes(channel));
        Response first = ResponseCodec.decode(Frames.nextFrame(bytes, Integer.MAX_VALUE), ApiKey.API_VERSIONS, (short) 3);
        Response second = ResponseCodec.decode(Frames.nextFrame(bytes, Integer.MAX_VALUE), ApiKey.API_VERSIONS, (short) 0);
        assertThat(first.correlationId()).isEqualTo(1);
        assertThat(second.correlationId()).isEqualTo(2);
        ApiVersionsResponseData rejection = (ApiVersionsResponseData) second.body();
        assertThat(rejection.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code);
        assertThat(rejection.apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey).containsExactly(ApiKey.API_VERSIONS.id);
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesTheConnectionOnAMalformedRequest() {
        EmbeddedChannel channel = pipeline(1);
        ByteBuf truncated = Unpooled.buffer().writeInt(3).writeBytes(new byte[] {0, 18, 0});

        channel.writeInbound(truncated);

        assertThat(channel.isOpen()).isFalse();
        assertThat(pending).isEmpty();
    }

    @Test
    void closesTheConnectionWhenAHandlerThrows() {
        EmbeddedChannel channel = pipeline(1, RequestHandlers.builder()
            .register(ApiKey.API_VERSIONS, (context, request) -> {
                throw new IllegalStateException("bug");
            })
            .build());

        channel.writeInbound(apiVersions(1));

        assertThat(channel.isOpen()).isFalse();
        assertThat(TestFrames.writtenBytes(channel)).isEmpty();
    }

    @Test
    void closesTheConnectionWhenAHandlersFutureFails() {
        EmbeddedChannel channel = pipeline(1);
        channel.writeInbound(apiVersions(1));

        pending.get(1).completeExceptionally(new IllegalStateException("bug"));

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesTheConnectionWhenAHandlerReturnsNoFuture() {
        EmbeddedChannel channel = pipeline(1, RequestHandlers.builder()
            .register(ApiKey.API_VERSIONS, (context, request) -> null)
            .build());

        channel.writeInbound(apiVersions(1));

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesTheConnectionWhenAHandlerAnswersWithAnotherApisResponse() {
        EmbeddedChannel channel = pipeline(1, RequestHandlers.builder()
            .register(ApiKey.API_VERSIONS, (context, request) -> CompletableFuture.completedFuture(new ProduceResponseData()))
            .build());

        channel.writeInbound(apiVersions(1));

        assertThat(channel.isOpen()).isFalse();
        assertThat(TestFrames.writtenBytes(channel)).isEmpty();
    }

    @Test
    void closesTheConnectionWhenTheSocketFails() {
        EmbeddedChannel channel = pipeline(1);

        channel.pipeline().fireExceptionCaught(new java.io.IOException("Connection reset by peer"));

        assertThat(channel.isOpen()).isFalse();
    }
}
