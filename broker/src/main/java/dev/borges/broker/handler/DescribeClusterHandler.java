package dev.borges.broker.handler;

import dev.borges.metadata.image.BrokerRegistration;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DescribeClusterRequestData;
import dev.borges.protocol.message.DescribeClusterResponseData;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * DescribeCluster (the Admin client's {@code describeCluster()}): the cluster id, the controller
 * (this node: a single-node broker is its own controller) and the registered brokers with their
 * endpoint on the listener the request came in on, from the latest metadata image.
 *
 * <p>As in Kafka, a request for another endpoint type (version 1+) is refused:
 * {@code MISMATCHED_ENDPOINT_TYPE} for controllers (this listener serves brokers),
 * {@code UNSUPPORTED_ENDPOINT_TYPE} for an unknown type. Without an authorizer every cluster
 * operation is allowed, so {@code includeClusterAuthorizedOperations} lists them all. Stateless.
 */
public final class DescribeClusterHandler implements ApiHandler<DescribeClusterRequestData, DescribeClusterResponseData> {
    /** Kafka's {@code EndpointType}: BROKER = 1, CONTROLLER = 2. */
    private static final byte BROKER_ENDPOINTS = 1;
    private static final byte CONTROLLER_ENDPOINTS = 2;
    /**
     * The operations Kafka defines on the cluster resource, by their ACL operation codes (CREATE 5,
     * ALTER 7, DESCRIBE 8, CLUSTER_ACTION 9, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11, IDEMPOTENT_WRITE
     * 12), as Kafka's bit field.
     */
    private static final int ALL_CLUSTER_OPERATIONS = bits(5, 7, 8, 9, 10, 11, 12);

    private final int nodeId;
    private final String clusterId;
    private final Supplier<MetadataImage> image;
    private final String listenerName;

    public DescribeClusterHandler(int nodeId, String clusterId, Supplier<MetadataImage> image, String listenerName) {
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        this.image = image;
        this.listenerName = listenerName;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_CLUSTER;
    }

    @Override
    public CompletableFuture<DescribeClusterResponseData> handle(RequestHeader header, DescribeClusterRequestData request) {
        DescribeClusterResponseData response = new DescribeClusterResponseData().setClusterId(clusterId);
        if (request.endpointType() != BROKER_ENDPOINTS) {
            boolean controllers = request.endpointType() == CONTROLLER_ENDPOINTS;
            return CompletableFuture.completedFuture(response
                .setErrorCode((controllers ? Errors.MISMATCHED_ENDPOINT_TYPE : Errors.UNSUPPORTED_ENDPOINT_TYPE).code)
                .setErrorMessage(controllers ? "The request was sent to a broker endpoint, but asked for controllers"
                    : "Unsupported endpoint type " + request.endpointType()));
        }
        response.setErrorCode(Errors.NONE.code).setControllerId(nodeId);
        for (BrokerRegistration broker : image.get().cluster().brokers().values()) {
            broker.endpoint(listenerName).ifPresent(endpoint -> response.brokers().add(new DescribeClusterResponseData.DescribeClusterBroker()
                .setBrokerId(broker.id())
                .setHost(endpoint.host())
                .setPort(endpoint.port())
                .setRack(broker.rack().orElse(null))));
        }
        if (request.includeClusterAuthorizedOperations()) {
            response.setClusterAuthorizedOperations(ALL_CLUSTER_OPERATIONS);
        }
        return CompletableFuture.completedFuture(response);
    }

    private static int bits(int... operations) {
        int field = 0;
        for (int operation : operations) {
            field |= 1 << operation;
        }
        return field;
    }
}
