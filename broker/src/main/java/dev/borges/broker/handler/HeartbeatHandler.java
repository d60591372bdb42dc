package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.HeartbeatRequestData;
import dev.borges.protocol.message.HeartbeatResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * Heartbeat: keeps a member's session, and tells it when to rejoin ({@code REBALANCE_IN_PROGRESS}).
 * While the group's partition loads the answer is {@code NONE}, as in Kafka: the member cannot be
 * checked yet, and it will learn about any rebalance from its next heartbeat.
 */
public final class HeartbeatHandler implements ApiHandler<HeartbeatRequestData, HeartbeatResponseData> {
    private final GroupCoordinator groups;

    public HeartbeatHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.HEARTBEAT;
    }

    @Override
    public CompletableFuture<HeartbeatResponseData> handle(RequestHeader header, HeartbeatRequestData request) {
        return groups.heartbeat(request).handle((response, failure) -> {
            if (failure == null) {
                return response;
            }
            Errors error = GroupErrors.toError(failure, "Heartbeat");
            return new HeartbeatResponseData().setErrorCode((error == Errors.COORDINATOR_LOAD_IN_PROGRESS ? Errors.NONE : error).code);
        });
    }
}
