package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.metadata.image.BrokerRegistration;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.FindCoordinatorRequestData;
import dev.borges.protocol.message.FindCoordinatorResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * FindCoordinator: the broker that coordinates a group or a transactional id, that is the leader of the group's
 * {@code __consumer_offsets} partition, with its endpoint on the listener the request came in on.
 * The first request for a group creates {@code __consumer_offsets} (as Kafka does) and is answered
 * once it exists. Versions 4+ take a batch of keys.
 *
 * <p>Key type TRANSACTION finds the transaction coordinator of a transactional id, the leader of its
 * {@code __transaction_state} partition; the first such request creates {@code __transaction_state}.
 * Other key types (share groups) answer {@code INVALID_REQUEST}.
 */
public final class FindCoordinatorHandler implements ApiHandler<FindCoordinatorRequestData, FindCoordinatorResponseData> {
    private static final byte GROUP = 0;
    private static final byte TRANSACTION = 1;

    private final GroupCoordinator groups;
    private final TransactionCoordinator transactions;
    private final Supplier<MetadataImage> image;
    private final String listenerName;

    public FindCoordinatorHandler(GroupCoordinator groups, TransactionCoordinator transactions, Supplier<MetadataImage> image,
                                  String listenerName) {
        this.groups = groups;
        this.transactions = transactions;
        this.image = image;
        this.listenerName = listenerName;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.FIND_COORDINATOR;
    }

    @Override
    public CompletableFuture<FindCoordinatorResponseData> handle(RequestHeader header, FindCoordinatorRequestData request) {
        boolean batched = header.apiVersion() >= 4;
        List<String> keys = batched ? request.coordinatorKeys() : List.of(request.key());
        byte keyType = header.apiVersion() == 0 ? GROUP : request.keyType();
        CompletableFuture<Void> ready = keys.isEmpty() ? CompletableFuture.completedFuture(null)
            : keyType == GROUP ? groups.ensureOffsetsTopic()
            : keyType == TRANSACTION ? transactions.ensureStateTopic()
            : CompletableFuture.completedFuture(null);
        return ready.thenApply(ignored -> {
            List<FindCoordinatorResponseData.Coordinator> coordinators = new ArrayList<>();
            for (String key : keys) {
                coordinators.add(find(keyType, key));
            }
            FindCoordinatorResponseData response = new FindCoordinatorResponseData();
            if (batched) {
                return response.setCoordinators(coordinators);
            }
            FindCoordinatorResponseData.Coordinator only = coordinators.get(0);
            return response.setErrorCode(only.errorCode())
                .setErrorMessage(only.errorMessage())
                .setNodeId(only.nodeId())
                .setHost(only.host())
                .setPort(only.port());
        });
    }

    private FindCoordinatorResponseData.Coordinator find(byte keyType, String key) {
        FindCoordinatorResponseData.Coordinator coordinator = new FindCoordinatorResponseData.Coordinator().setKey(key);
        if (keyType != GROUP && keyType != TRANSACTION) {
            return failed(coordinator, Errors.INVALID_REQUEST, "Unsupported coordinator key type " + keyType);
        }
        if (keyType == TRANSACTION && (key == null || key.isEmpty())) {
            return failed(coordinator, Errors.INVALID_REQUEST, "A transactional id must not be empty");
        }
        OptionalInt node = keyType == GROUP ? groups.coordinatorNode(key) : transactions.coordinatorNode(key);
        if (node.isEmpty()) {
            return failed(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator is not available");
        }
        BrokerRegistration broker = image.get().cluster().broker(node.getAsInt());
        Optional<RegisterBrokerRecord.Endpoint> endpoint = broker == null ? Optional.empty() : broker.endpoint(listenerName);
        if (endpoint.isEmpty()) {
            return failed(coordinator, Errors.COORDINATOR_NOT_AVAILABLE, "The coordinator has no " + listenerName + " endpoint");
        }
        return coordinator.setErrorCode(Errors.NONE.code)
            .setNodeId(node.getAsInt())
            .setHost(endpoint.get().host())
            .setPort(endpoint.get().port());
    }

    private static FindCoordinatorResponseData.Coordinator failed(FindCoordinatorResponseData.Coordinator coordinator, Errors error,
                                                                  String message) {
        return coordinator.setErrorCode(error.code).setErrorMessage(message).setNodeId(-1).setHost("").setPort(-1);
    }
}
