package dev.borges.broker.network;

import static dev.borges.broker.network.TestFrames.apiVersionsRequest;
import static dev.borges.broker.network.TestFrames.header;
import static dev.borges.broker.network.TestFrames.payload;
import static dev.borges.broker.network.TestFrames.rawRequestFrame;
import static dev.borges.broker.network.TestFrames.requestFrame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.Request;
import dev.borges.protocol.message.ApiVersionsRequestData;
import dev.borges.protocol.message.ApiVersionsResponseData;
import dev.borges.protocol.message.MetadataRequestData;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {
    private static final RequestHandler NEVER_CALLED = (context, request) -> new CompletableFuture<>();

    private final RequestHandlers handlers = RequestHandlers.builder()
        .register(ApiKey.API_VERSIONS, (short) 2, (short) 4, NEVER_CALLED)
        .register(ApiKey.METADATA, (short) 1, (short) 12, NEVER_CALLED)
        .build();
    private final EmbeddedChannel channel = new EmbeddedChannel(new RequestDecoder(handlers));

    @Test
    void decodesHeaderAndBody() {
        channel.writeInbound(payload(requestFrame(header(ApiKey.API_VERSIONS, 3, 42), apiVersionsRequest())));

        Request request = channel.readInbound();
        assertThat(request.header()).isEqualTo(header(ApiKey.API_VERSIONS, 3, 42));
        assertThat(request.body()).isEqualTo(apiVersionsRequest());
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void closesConnectionOnTruncatedBody() {
        ByteBuffer frame = payload(requestFrame(header(ApiKey.METADATA, 12, 1), new MetadataRequestData()));
        channel.writeInbound(frame.limit(frame.limit() - 1));

        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesConnectionOnFrameTooShortForAHeader() {
        channel.writeInbound(ByteBuffer.wrap(new byte[] {0, 18}));

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesConnectionOnUnknownApiKey() {
        channel.writeInbound(payload(rawRequestFrame(9999, 0, 1, false, new byte[0])));

        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void answersApiVersionsAtAnUnknownVersionWithVersion0UnsupportedVersionAndItsRange() {
        // A future ApiVersions version: flexible header, a body we cannot know.
        channel.writeInbound(payload(rawRequestFrame(ApiKey.API_VERSIONS.id, 99, 7, true, new byte[] {1, 2, 3})));

        AnsweredRequest answered = channel.readInbound();
        OutboundResponse response = answered.response();
        assertThat(response.request().correlationId()).isEqualTo(7);
        assertThat(response.version()).isZero();
        ApiVersionsResponseData body = (ApiVersionsResponseData) response.body();
        assertThat(body.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code);
        assertThat(body.apiKeys()).containsExactly(new ApiVersionsResponseData.ApiVersion()
            .setApiKey(ApiKey.API_VERSIONS.id).setMinVersion((short) 2).setMaxVersion((short) 4));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void answersApiVersionsBelowTheRegisteredRangeWithUnsupportedVersion() {
        channel.writeInbound(payload(requestFrame(header(ApiKey.API_VERSIONS, 1, 8), new ApiVersionsRequestData())));

        AnsweredRequest answered = channel.readInbound();
        assertThat(((ApiVersionsResponseData) answered.response().body()).errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code);
        assertThat(answered.response().version()).isZero();
    }

    @Test
    void closesConnectionOnAnotherApiAtAnUnknownVersion() {
        channel.writeInbound(payload(rawRequestFrame(ApiKey.METADATA.id, 99, 1, true, new byte[0])));

        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesConnectionOnAnotherApiOutsideItsRegisteredRange() {
        channel.writeInbound(payload(requestFrame(header(ApiKey.METADATA, 0, 1), new MetadataRequestData())));

        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void closesConnectionOnAnApiWithoutHandler() {
        channel.writeInbound(payload(requestFrame(header(ApiKey.FIND_COORDINATOR, 4, 1),
            new dev.borges.protocol.message.FindCoordinatorRequestData())));

        assertThat(channel.<Object>readInbound()).isNull();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void ignoresFramesThatArriveAfterItClosedTheConnection() {
        ByteBuffer bad = payload(rawRequestFrame(9999, 0, 1, false, new byte[0]));
        ByteBuffer good = payload(requestFrame(header(ApiKey.API_VERSIONS, 3, 2), apiVersionsRequest()));
        channel.writeInbound(bad, good);

        assertThat(channel.<Object>readInbound()).isNull();
    }
}
