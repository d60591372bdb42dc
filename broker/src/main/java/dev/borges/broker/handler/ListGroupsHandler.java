package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupType;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ListGroupsRequestData;
import dev.borges.protocol.message.ListGroupsResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * ListGroups: the groups this broker coordinates, optionally only those in some states (v4+,
 * case-insensitive) or of some types (v5+: "classic", "consumer"). While a partition is still
 * loading the answer lists the others and carries {@code COORDINATOR_LOAD_IN_PROGRESS}.
 */
public final class ListGroupsHandler implements ApiHandler<ListGroupsRequestData, ListGroupsResponseData> {
    private final GroupCoordinator groups;

    public ListGroupsHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_GROUPS;
    }

    @Override
    public CompletableFuture<ListGroupsResponseData> handle(RequestHeader header, ListGroupsRequestData request) {
        List<GroupType> types = request.typesFilter().stream().map(GroupType::parse).flatMap(Optional::stream).toList();
        if (!request.typesFilter().isEmpty() && types.isEmpty()) {
            return CompletableFuture.completedFuture(new ListGroupsResponseData()); // only types this broker does not host
        }
        return groups.listGroups(request.statesFilter(), types)
            .thenApply(listed -> new ListGroupsResponseData().setErrorCode(listed.error().code).setGroups(new ArrayList<>(listed.groups())));
    }
}
