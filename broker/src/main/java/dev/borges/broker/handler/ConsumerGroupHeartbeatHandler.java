package dev.borges.broker.handler;

import dev.borges.broker.group.ClientContext;
import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.broker.network.RequestContext;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupHeartbeat (KIP-848, {@code group.protocol=consumer}): a member joins (epoch 0),
 * heartbeats, or leaves (-1, or -2 for a static member coming back). The group coordinator
 * answers once the records the heartbeat wrote are committed; the group's own errors
 * (FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, GROUP_ID_NOT_FOUND for a classic group, ...) come in the
 * response, and a coordinator that cannot serve the group answers NOT_COORDINATOR or
 * COORDINATOR_LOAD_IN_PROGRESS, after which the client looks for the coordinator again. Version 1
 * (KIP-1082) has the client choose its member id and adds regex subscriptions.
 */
public final class ConsumerGroupHeartbeatHandler
    implements ApiHandler<ConsumerGroupHeartbeatRequestData, ConsumerGroupHeartbeatResponseData> {
    private final GroupCoordinator groups;

    public ConsumerGroupHeartbeatHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.CONSUMER_GROUP_HEARTBEAT;
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestContext context, ConsumerGroupHeartbeatRequestData request) {
        return heartbeat(GroupRequests.client(context), request);
    }

    @Override
    public CompletableFuture<ConsumerGroupHeartbeatResponseData> handle(RequestHeader header, ConsumerGroupHeartbeatRequestData request) {
        return heartbeat(GroupRequests.client(header), request);
    }

    private CompletableFuture<ConsumerGroupHeartbeatResponseData> heartbeat(ClientContext client, ConsumerGroupHeartbeatRequestData request) {
        return groups.consumerGroupHeartbeat(client, request).handle((response, failure) -> failure == null ? response
            : new ConsumerGroupHeartbeatResponseData().setErrorCode(GroupErrors.toError(failure, "ConsumerGroupHeartbeat").code));
    }
}
