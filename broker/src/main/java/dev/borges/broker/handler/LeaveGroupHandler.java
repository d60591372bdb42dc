package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.LeaveGroupRequestData;
import dev.borges.protocol.message.LeaveGroupResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * LeaveGroup: versions 0-2 name one member by id and get one error; from version 3 a batch of
 * members (by member id, or by instance id for static members) gets an error each.
 */
public final class LeaveGroupHandler implements ApiHandler<LeaveGroupRequestData, LeaveGroupResponseData> {
    private final GroupCoordinator groups;

    public LeaveGroupHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.LEAVE_GROUP;
    }

    @Override
    public CompletableFuture<LeaveGroupResponseData> handle(RequestHeader header, LeaveGroupRequestData request) {
        boolean batched = header.apiVersion() >= 3;
        List<LeaveGroupRequestData.MemberIdentity> members = batched ? request.members()
            : List.of(new LeaveGroupRequestData.MemberIdentity().setMemberId(request.memberId()));
        return groups.leaveGroup(request.groupId(), members).handle((response, failure) -> {
            LeaveGroupResponseData answer = failure == null ? response
                : new LeaveGroupResponseData().setErrorCode(GroupErrors.toError(failure, "LeaveGroup").code);
            if (batched) {
                return answer;
            }
            short error = answer.errorCode();
            if (error == Errors.NONE.code && !answer.members().isEmpty()) {
                error = answer.members().get(0).errorCode();
            }
            return answer.setErrorCode(error).setMembers(new ArrayList<>());
        });
    }
}
