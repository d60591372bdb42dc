package dev.borges.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Request;
import dev.borges.protocol.RequestCodec;
import dev.borges.protocol.Response;
import dev.borges.protocol.ResponseCodec;
import dev.borges.protocol.generator.spec.MessageSpec;
import dev.borges.protocol.types.ApiMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Whole requests and responses, headers included, judged by kafka-clients: we decode request
 * frames whose header Kafka wrote (with the header version Kafka picks for that API version), and
 * Kafka's response header parser and message classes read the response frames we encode.
 */
class HeaderCrossCheckTest {

    @Test
    void apiKeysMatchKafkasApiKeys() {
        List<String> ours = new ArrayList<>();
        for (ApiKey key : ApiKey.values()) {
            ours.add(key.id + ":" + key.lowestVersion + "-" + key.highestVersion);
        }
        List<String> kafka = new ArrayList<>();
        for (ApiKeys key : ApiKeys.values()) {
            if (key.hasValidVersion()) {
                kafka.add(key.id + ":" + key.oldestVersion() + "-" + key.latestVersion(true));
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(kafka);
    }

    @Test
    void headerVersionsMatchKafkaForEveryApiVersion() {
        for (ApiKey key : ApiKey.values()) {
            ApiKeys kafka = ApiKeys.forId(key.id);
            for (short v = key.lowestVersion; v <= key.highestVersion; v++) {
                assertThat(key.requestHeaderVersion(v)).as("%s v%d request header", key, v).isEqualTo(kafka.requestHeaderVersion(v));
                assertThat(key.responseHeaderVersion(v)).as("%s v%d response header", key, v).isEqualTo(kafka.responseHeaderVersion(v));
            }
        }
        assertThat(ApiKey.API_VERSIONS.responseHeaderVersion((short) 3)).isZero();
    }

    @TestFactory
    Stream<DynamicTest> requestFramesWithKafkasHeadersDecode() {
        return requestSpecs().flatMap(spec -> versions(spec).map(v -> DynamicTest.dynamicTest(spec.name() + " v" + v, () -> {
            ApiMessage body = (ApiMessage) new RandomMessages(spec, v, v).build();
            RequestHeader kafkaHeader = new RequestHeader(ApiKeys.forId(spec.apiKey()), v, "client-é-" + v, 1000 + v);
            ObjectSerializationCache cache = new ObjectSerializationCache();
            ByteBuffer bodyBytes = body.toByteBuffer(v);
            int headerSize = kafkaHeader.data().size(cache, kafkaHeader.headerVersion());
            ByteBuffer frame = ByteBuffer.allocate(headerSize + bodyBytes.remaining());
            kafkaHeader.data().write(new ByteBufferAccessor(frame), cache, kafkaHeader.headerVersion());
            frame.put(bodyBytes).flip();

            Request decoded = RequestCodec.decode(frame);
            assertThat(decoded.header().apiKey().id).isEqualTo(spec.apiKey());
            assertThat(decoded.header().apiVersion()).isEqualTo(v);
            assertThat(decoded.header().correlationId()).isEqualTo(1000 + v);
            assertThat(decoded.header().clientId()).isEqualTo("client-é-" + v);
            assertThat(decoded.body()).isEqualTo(body);

            // and our encoding of the same request is byte for byte what Kafka's header plus the body make
            assertThat(RequestCodec.encode(decoded.header(), decoded.body()).position(4).slice()).isEqualTo(frame.rewind());
        })));
    }

    @TestFactory
    Stream<DynamicTest> responseFramesWeEncodeParseInKafkasClient() {
        return responseSpecs().flatMap(spec -> versions(spec).map(v -> DynamicTest.dynamicTest(spec.name() + " v" + v, () -> {
            ApiMessage body = (ApiMessage) new RandomMessages(spec, v, v).build();
            ApiKey key = ApiKey.forId(spec.apiKey());
            ByteBuffer frame = ResponseCodec.encode(key, v, 77 + v, body);
            assertThat(frame.getInt(0)).as("size prefix").isEqualTo(frame.remaining() - 4);

            // Kafka's client picks the response header version from the request's API and version.
            ApiKeys kafkaKey = ApiKeys.forId(spec.apiKey());
            ByteBuffer payload = frame.duplicate().position(4).slice();
            ResponseHeader header = ResponseHeader.parse(payload, kafkaKey.responseHeaderVersion(v));
            assertThat(header.correlationId()).isEqualTo(77 + v);
            org.apache.kafka.common.protocol.ApiMessage kafkaBody = kafkaKey.messageType.newResponse();
            kafkaBody.read(new ByteBufferAccessor(payload), v);
            assertThat(payload.hasRemaining()).as("Kafka consumed the whole frame").isFalse();
            assertThat(KafkaValueComparator.differences(spec, body, kafkaBody)).isEmpty();

            Response decoded = ResponseCodec.decode(frame.duplicate().position(4).slice(), key, v);
            assertThat(decoded.correlationId()).isEqualTo(77 + v);
            assertThat(decoded.body()).isEqualTo(body);
        })));
    }

    private static Stream<MessageSpec> requestSpecs() {
        return MessageSchemas.all().stream().filter(MessageSpec::isRequest);
    }

    private static Stream<MessageSpec> responseSpecs() {
        return MessageSchemas.all().stream().filter(MessageSpec::isResponse);
    }

    private static Stream<Short> versions(MessageSpec spec) {
        List<Short> versions = new ArrayList<>();
        for (int v = spec.validVersions().lowest(); v <= spec.validVersions().highest(); v++) {
            versions.add((short) v);
        }
        return versions.stream();
    }
}
