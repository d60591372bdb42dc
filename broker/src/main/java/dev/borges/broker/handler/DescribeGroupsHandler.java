package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupErrors;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DescribeGroupsRequestData;
import dev.borges.protocol.message.DescribeGroupsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeGroups: each group's state, protocol type and (when Stable) protocol, and its members
 * with client id and host, and (when Stable) their metadata and assignment. A group that does not
 * exist, or is a consumer group of the KIP-848 protocol (which ConsumerGroupDescribe describes), is
 * described as Dead, and from version 6 answers {@code GROUP_ID_NOT_FOUND} (KIP-1043).
 * Without an authorizer every group operation is allowed, so
 * {@code includeAuthorizedOperations} lists them all.
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequestData, DescribeGroupsResponseData> {
    private static final int OPERATIONS_NOT_REQUESTED = Integer.MIN_VALUE;

    private final GroupCoordinator groups;

    public DescribeGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_GROUPS;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponseData> handle(RequestHeader header, DescribeGroupsRequestData request) {
        short version = header.apiVersion();
        int operations = request.includeAuthorizedOperations() ? GroupRequests.GROUP_OPERATIONS : OPERATIONS_NOT_REQUESTED;
        List<CompletableFuture<DescribeGroupsResponseData.DescribedGroup>> described = new ArrayList<>();
        for (String groupId : request.groups()) {
            described.add(groups.describeGroup(groupId).handle((group, failure) -> {
                if (failure != null) {
                    return new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId)
                        .setErrorCode(GroupErrors.toError(failure, "DescribeGroups").code)
                        .setGroupState("").setProtocolType("").setProtocolData("");
                }
                if (group == null) {
                    DescribeGroupsResponseData.DescribedGroup dead = new DescribeGroupsResponseData.DescribedGroup().setGroupId(groupId)
                        .setGroupState("Dead").setProtocolType("").setProtocolData("");
                    return version >= 6 ? dead.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code)
                        .setErrorMessage("Group " + groupId + " not found.") : dead.setErrorCode(Errors.NONE.code);
                }
                if (version < 6) {
                    // Before KIP-1043 a group of another type (a consumer group) is just Dead, without an error.
                    group.setErrorMessage(null);
                    if (group.errorCode() == Errors.GROUP_ID_NOT_FOUND.code) {
                        group.setErrorCode(Errors.NONE.code);
                    }
                }
                return group.setAuthorizedOperations(operations);
            }));
        }
        return CompletableFuture.allOf(described.toArray(CompletableFuture[]::new))
            .thenApply(ignored -> new DescribeGroupsResponseData().setGroups(described.stream().map(CompletableFuture::join).toList()));
    }
}
