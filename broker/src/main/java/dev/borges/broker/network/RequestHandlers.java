package dev.borges.broker.network;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.message.ApiVersionsResponseData;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The registry of {@link RequestHandler}s by API, and the versions of each API this broker handles.
 * The network layer routes by it ({@link RequestDispatcher}), rejects requests for APIs or versions
 * that are not registered ({@link RequestDecoder}), and an ApiVersions handler advertises exactly
 * {@link #apiVersions()}: a broker announces what it handles, not everything the codec can read.
 *
 * <p>Immutable once built; safe to share between every connection and event loop.
 */
public final class RequestHandlers {
    private final Map<ApiKey, Registration> registrations;

    private RequestHandlers(Map<ApiKey, Registration> registrations) {
        this.registrations = registrations;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The handler for {@code apiKey}, or null if none is registered. */
    public RequestHandler handlerFor(ApiKey apiKey) {
        Registration registration = registrations.get(apiKey);
        return registration == null ? null : registration.handler;
    }

    /** Whether a handler is registered for {@code apiKey} at {@code version}. */
    public boolean supports(ApiKey apiKey, short version) {
        Registration registration = registrations.get(apiKey);
        return registration != null && version >= registration.minVersion && version <= registration.maxVersion;
    }

    /** The registered version range of {@code apiKey} as an ApiVersions entry, or null if not registered. */
    public ApiVersionsResponseData.ApiVersion apiVersion(ApiKey apiKey) {
        Registration registration = registrations.get(apiKey);
        return registration == null ? null : registration.toApiVersion(apiKey);
    }

    /** Every registered API with its version range, in API key order; a new list of new objects on each call. */
    public List<ApiVersionsResponseData.ApiVersion> apiVersions() {
        List<ApiVersionsResponseData.ApiVersion> versions = new ArrayList<>(registrations.size());
        registrations.forEach((apiKey, registration) -> versions.add(registration.toApiVersion(apiKey)));
        return versions;
    }

    private record Registration(short minVersion, short maxVersion, RequestHandler handler) {
        ApiVersionsResponseData.ApiVersion toApiVersion(ApiKey apiKey) {
            return new ApiVersionsResponseData.ApiVersion().setApiKey(apiKey.id).setMinVersion(minVersion).setMaxVersion(maxVersion);
        }
    }

    /** Collects registrations; not thread-safe. */
    public static final class Builder {
        private final Map<ApiKey, Registration> registrations = new EnumMap<>(ApiKey.class);

        private Builder() {
        }

        /**
         * Registers {@code handler} for every version of {@code apiKey} the codec reads, except a latest
         * version Kafka marks unstable (Kafka brokers do not advertise those by default).
         */
        public Builder register(ApiKey apiKey, RequestHandler handler) {
            short max = apiKey.latestVersionUnstable && apiKey.highestVersion > apiKey.lowestVersion
                ? (short) (apiKey.highestVersion - 1)
                : apiKey.highestVersion;
            return register(apiKey, apiKey.lowestVersion, max, handler);
        }

        /** Registers {@code handler} for versions {@code minVersion..maxVersion} of {@code apiKey}. */
        public Builder register(ApiKey apiKey, short minVersion, short maxVersion, RequestHandler handler) {
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(handler, "handler");
            if (minVersion > maxVersion || !apiKey.isVersionSupported(minVersion) || !apiKey.isVersionSupported(maxVersion)) {
                throw new IllegalArgumentException(apiKey.title + " versions " + minVersion + "-" + maxVersion
                    + " are not within the codec's " + apiKey.lowestVersion + "-" + apiKey.highestVersion);
            }
            if (registrations.containsKey(apiKey)) {
                throw new IllegalArgumentException(apiKey.title + " already has a handler");
            }
            registrations.put(apiKey, new Registration(minVersion, maxVersion, handler));
            return this;
        }

        public RequestHandlers build() {
            return new RequestHandlers(new EnumMap<>(registrations));
        }
    }
}
