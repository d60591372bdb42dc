package dev.borges.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.message.ApiVersionsResponseData;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RequestHandlersTest {
    private static final RequestHandler HANDLER = (context, request) -> new CompletableFuture<>();

    private static ApiVersionsResponseData.ApiVersion range(ApiKey apiKey, int min, int max) {
        return new ApiVersionsResponseData.ApiVersion().setApiKey(apiKey.id).setMinVersion((short) min).setMaxVersion((short) max);
    }

    @Test
    void supportsOnlyTheRegisteredVersions() {
        RequestHandlers handlers = RequestHandlers.builder().register(ApiKey.METADATA, (short) 4, (short) 9, HANDLER).build();

        assertThat(handlers.supports(ApiKey.METADATA, (short) 3)).isFalse();
        assertThat(handlers.supports(ApiKey.METADATA, (short) 4)).isTrue();
        assertThat(handlers.supports(ApiKey.METADATA, (short) 9)).isTrue();
        assertThat(handlers.supports(ApiKey.METADATA, (short) 10)).isFalse();
        assertThat(handlers.supports(ApiKey.FETCH, (short) 12)).isFalse();
        assertThat(handlers.handlerFor(ApiKey.METADATA)).isSameAs(HANDLER);
        assertThat(handlers.handlerFor(ApiKey.FETCH)).isNull();
    }

    @Test
    void advertisesRegisteredRangesInApiKeyOrder() {
        RequestHandlers handlers = RequestHandlers.builder()
            .register(ApiKey.METADATA, (short) 4, (short) 9, HANDLER)
            .register(ApiKey.PRODUCE, (short) 3, (short) 12, HANDLER)
            .build();

        assertThat(handlers.apiVersions()).containsExactly(range(ApiKey.PRODUCE, 3, 12), range(ApiKey.METADATA, 4, 9));
        assertThat(handlers.apiVersion(ApiKey.METADATA)).isEqualTo(range(ApiKey.METADATA, 4, 9));
        assertThat(handlers.apiVersion(ApiKey.FETCH)).isNull();
    }

    @Test
    void registersEveryStableVersionByDefault() {
        RequestHandlers handlers = RequestHandlers.builder().register(ApiKey.API_VERSIONS, HANDLER).register(ApiKey.INIT_PRODUCER_ID, HANDLER).build();

        assertThat(handlers.apiVersion(ApiKey.API_VERSIONS))
            .isEqualTo(range(ApiKey.API_VERSIONS, ApiKey.API_VERSIONS.lowestVersion, ApiKey.API_VERSIONS.highestVersion));
        assertThat(ApiKey.INIT_PRODUCER_ID.latestVersionUnstable).isTrue();
        assertThat(handlers.apiVersion(ApiKey.INIT_PRODUCER_ID).maxVersion()).isEqualTo((short) (ApiKey.INIT_PRODUCER_ID.highestVersion - 1));
    }

    @Test
    void rejectsVersionsTheCodecCannotRead() {
        assertThatThrownBy(() -> RequestHandlers.builder().register(ApiKey.PRODUCE, (short) 0, (short) 9, HANDLER))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestHandlers.builder().register(ApiKey.PRODUCE, (short) 9, (short) 99, HANDLER))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RequestHandlers.builder().register(ApiKey.PRODUCE, (short) 9, (short) 8, HANDLER))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsASecondHandlerForTheSameApi() {
        RequestHandlers.Builder builder = RequestHandlers.builder().register(ApiKey.FETCH, HANDLER);

        assertThatThrownBy(() -> builder.register(ApiKey.FETCH, HANDLER)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builtRegistryIgnoresLaterRegistrations() {
        RequestHandlers.Builder builder = RequestHandlers.builder().register(ApiKey.FETCH, HANDLER);
        RequestHandlers handlers = builder.build();

        builder.register(ApiKey.METADATA, HANDLER);

        assertThat(handlers.handlerFor(ApiKey.METADATA)).isNull();
    }
}
