package dev.borges.broker.handler;

import dev.borges.broker.group.ClientContext;
import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.broker.network.RequestContext;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.JoinGroupRequestData;
import dev.borges.protocol.message.JoinGroupResponseData;
import java.util.concurrent.CompletableFuture;

/**
 * JoinGroup: hands the member to the group coordinator, whose answer comes when the group's join
 * phase ends (the connection's next request waits, as in Kafka: one request in flight). Before
 * version 7 the protocol name cannot be null, so an error answer carries "".
 */
public final class JoinGroupHandler implements ApiHandler<JoinGroupRequestData, JoinGroupResponseData> {
    private final GroupCoordinator groups;

    public JoinGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.JOIN_GROUP;
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestContext context, JoinGroupRequestData request) {
        return join(GroupRequests.client(context), request);
    }

    @Override
    public CompletableFuture<JoinGroupResponseData> handle(RequestHeader header, JoinGroupRequestData request) {
        return join(GroupRequests.client(header), request);
    }

    private CompletableFuture<JoinGroupResponseData> join(ClientContext client, JoinGroupRequestData request) {
        return groups.joinGroup(client, request).handle((response, failure) -> {
            JoinGroupResponseData answer = failure == null ? response : new JoinGroupResponseData()
                .setErrorCode(GroupErrors.toError(failure, "JoinGroup").code)
                .setGenerationId(-1)
                .setLeader("")
                .setMemberId(request.memberId());
            if (client.apiVersion() < 7 && answer.protocolName() == null) {
                answer.setProtocolName("");
            }
            if (client.apiVersion() < 9) {
                answer.setSkipAssignment(false);
            }
            return answer;
        });
    }
}
