package dev.borges.broker.handler;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ApiVersionsRequestData;
import dev.borges.protocol.message.ApiVersionsResponseData;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * ApiVersions: the APIs this broker handles and the version range of each, so a client picks the
 * highest version both sides know. Only APIs with a handler are listed.
 *
 * <p>One quirk kept for compatibility: Produce is advertised from version 0, as Kafka 4 still does
 * (KAFKA-18659), because librdkafka refuses a broker whose Produce range starts above 0; versions
 * below 3 are refused when actually used, since Kafka's schemas no longer describe them.
 * A request whose client name or version does not follow Kafka's pattern gets
 * {@code INVALID_REQUEST}, as in Kafka.
 */
public final class ApiVersionsHandler implements ApiHandler<ApiVersionsRequestData, ApiVersionsResponseData> {
    private static final Pattern SOFTWARE_NAME_OR_VERSION = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9\\-.]*[a-zA-Z0-9])?");

    /** The versions the broker's dispatcher serves, API by API. */
    private final Supplier<List<ApiVersionsResponseData.ApiVersion>> served;

    /** @param served the APIs with a handler and the versions each serves (the network layer's registry) */
    public ApiVersionsHandler(Supplier<List<ApiVersionsResponseData.ApiVersion>> served) {
        this.served = served;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.API_VERSIONS;
    }

    @Override
    public CompletableFuture<ApiVersionsResponseData> handle(RequestHeader header, ApiVersionsRequestData request) {
        ApiVersionsResponseData response = supportedVersions();
        if (header.apiVersion() >= 3 && !(valid(request.clientSoftwareName()) && valid(request.clientSoftwareVersion()))) {
            response.setErrorCode(Errors.INVALID_REQUEST.code);
        }
        return CompletableFuture.completedFuture(response);
    }

    /** The answer with every supported range: also what a client asking at an unknown version gets, at version 0. */
    public ApiVersionsResponseData supportedVersions() {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setErrorCode(Errors.NONE.code);
        List<ApiVersionsResponseData.ApiVersion> versions = served.get().stream()
            .sorted(Comparator.comparingInt(ApiVersionsResponseData.ApiVersion::apiKey)).toList();
        for (ApiVersionsResponseData.ApiVersion version : versions) {
            short lowest = version.apiKey() == ApiKey.PRODUCE.id ? 0 : version.minVersion();
            response.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(version.apiKey())
                .setMinVersion(lowest)
                .setMaxVersion(version.maxVersion()));
        }
        return response;
    }

    private static boolean valid(String softwareNameOrVersion) {
        return softwareNameOrVersion != null && SOFTWARE_NAME_OR_VERSION.matcher(softwareNameOrVersion).matches();
    }
}
