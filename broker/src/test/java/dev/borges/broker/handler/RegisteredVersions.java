package dev.borges.broker.handler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.network.RequestHandlers;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.message.ApiVersionsResponseData;
import dev.borges.protocol.types.ApiMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.AbstractResponse;

/**
 * The check behind the {@code *ResponseVersionsTest}s: every version the broker registers for an
 * API is answered, written at that version, and read back whole by kafka-clients. Stateless.
 */
final class RegisteredVersions {
    private RegisteredVersions() {
    }

    /**
     * The range {@code BrokerServer} registers: {@code RequestHandlers.Builder.register(apiKey, handler)},
     * the codec's, except for TxnOffsetCommit (up to {@link TxnOffsetCommitHandler#MAX_VERSION}).
     */
    static ApiVersionsResponseData.ApiVersion of(ApiKey apiKey) {
        RequestHandlers.Builder handlers = RequestHandlers.builder();
        if (apiKey == ApiKey.TXN_OFFSET_COMMIT) {
            handlers.register(apiKey, apiKey.lowestVersion, TxnOffsetCommitHandler.MAX_VERSION, (context, request) -> null);
        } else {
            handlers.register(apiKey, (context, request) -> null);
        }
        return handlers.build().apiVersion(apiKey);
    }

    /**
     * Calls each API at every version in its registered range (a call makes a representative request
     * at the version it is given), writes the response at that version and has kafka-clients parse
     * it, which must use every byte.
     *
     * @return what was checked, as {@code "JoinGroup v9"}, in order
     */
    static List<String> answerAndReadWithKafkaClients(Map<ApiKey, IntFunction<CompletableFuture<? extends ApiMessage>>> calls) {
        List<String> checked = new ArrayList<>();
        calls.forEach((apiKey, call) -> {
            ApiVersionsResponseData.ApiVersion range = of(apiKey);
            for (short version = range.minVersion(); version <= range.maxVersion(); version++) {
                ApiMessage response = call.apply(version).join();
                assertThat(response.apiKey()).isEqualTo(apiKey.id);
                ByteBuffer bytes = response.toByteBuffer(version);
                AbstractResponse parsed = AbstractResponse.parseResponse(ApiKeys.forId(apiKey.id), new ByteBufferAccessor(bytes), version);
                assertThat(parsed.apiKey().id).isEqualTo(apiKey.id);
                assertThat(bytes.remaining()).as("%s v%d read whole", apiKey.title, version).isZero();
                checked.add(apiKey.title + " v" + version);
            }
        });
        return checked;
    }
}
