package dev.borges.broker.handler;

import dev.borges.broker.group.ClientContext;
import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.broker.network.RequestContext;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.SyncGroupRequestData;
import dev.borges.protocol.message.SyncGroupResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * SyncGroup: a follower's answer waits for the leader's assignment; the leader's is stored first.
 * While the group's partition loads, the answer is {@code REBALANCE_IN_PROGRESS}, as in Kafka: the
 * rebalance that was under way is lost with the old coordinator, and that error sends the member
 * back to JoinGroup, which older clients understand where they would not understand
 * {@code COORDINATOR_LOAD_IN_PROGRESS} here.
 */
public final class SyncGroupHandler implements ApiHandler<SyncGroupRequestData, SyncGroupResponseData> {
    private final GroupCoordinator groups;

    public SyncGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.SYNC_GROUP;
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestContext context, SyncGroupRequestData request) {
        return sync(GroupRequests.client(context), request);
    }

    @Override
    public CompletableFuture<SyncGroupResponseData> handle(RequestHeader header, SyncGroupRequestData request) {
        return sync(GroupRequests.client(header), request);
    }

    private CompletableFuture<SyncGroupResponseData> sync(ClientContext client, SyncGroupRequestData request) {
        return groups.syncGroup(client, request).handle((response, failure) -> {
            if (failure == null) {
                return response;
            }
            Errors error = GroupErrors.toError(failure, "SyncGroup");
            return new SyncGroupResponseData()
                .setErrorCode((error == Errors.COORDINATOR_LOAD_IN_PROGRESS ? Errors.REBALANCE_IN_PROGRESS : error).code)
                .setAssignment(new byte[0]);
        });
    }
}
