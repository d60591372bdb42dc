package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DeleteGroupsRequestData;
import dev.borges.protocol.message.DeleteGroupsResponseData;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;

/**
 * DeleteGroups: deletes empty groups with their committed offsets; {@code NON_EMPTY_GROUP} while a
 * group has members, {@code GROUP_ID_NOT_FOUND} for one that does not exist.
 */
public final class DeleteGroupsHandler implements ApiHandler<DeleteGroupsRequestData, DeleteGroupsResponseData> {
    private final GroupCoordinator groups;

    public DeleteGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DELETE_GROUPS;
    }

    @Override
    public CompletableFuture<DeleteGroupsResponseData> handle(RequestHeader header, DeleteGroupsRequestData request) {
        return groups.deleteGroups(request.groupsNames())
            .thenApply(results -> new DeleteGroupsResponseData().setResults(new ArrayList<>(results)));
    }
}
