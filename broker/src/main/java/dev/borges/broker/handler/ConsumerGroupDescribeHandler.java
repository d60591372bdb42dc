package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ConsumerGroupDescribeRequestData;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ConsumerGroupDescribe (KIP-848): each consumer group's state, epochs, assignor, and its members
 * with their subscriptions, current and target assignments (topic names from the metadata image;
 * a deleted topic is left out). An id that names no group, or a classic group, answers
 * {@code GROUP_ID_NOT_FOUND} (the Admin client then asks DescribeGroups); an empty id
 * {@code INVALID_GROUP_ID}. Without an authorizer every group operation is allowed, so
 * {@code includeAuthorizedOperations} lists them all.
 */
public final class ConsumerGroupDescribeHandler
    implements ApiHandler<ConsumerGroupDescribeRequestData, ConsumerGroupDescribeResponseData> {
    private final GroupCoordinator groups;

    public ConsumerGroupDescribeHandler(GroupCoordinator groups) {
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.CONSUMER_GROUP_DESCRIBE;
    }

    @Override
    public CompletableFuture<ConsumerGroupDescribeResponseData> handle(RequestHeader header, ConsumerGroupDescribeRequestData request) {
        List<String> valid = request.groupIds().stream().filter(id -> id != null && !id.isEmpty()).toList();
        return groups.consumerGroupDescribe(valid).thenApply(described -> {
            List<ConsumerGroupDescribeResponseData.DescribedGroup> answers = new ArrayList<>();
            int next = 0;
            for (String groupId : request.groupIds()) {
                if (groupId == null || groupId.isEmpty()) {
                    answers.add(new ConsumerGroupDescribeResponseData.DescribedGroup().setGroupId(groupId == null ? "" : groupId)
                        .setErrorCode(Errors.INVALID_GROUP_ID.code));
                    continue;
                }
                ConsumerGroupDescribeResponseData.DescribedGroup group = described.get(next++);
                if (request.includeAuthorizedOperations() && group.errorCode() == Errors.NONE.code) {
                    group.setAuthorizedOperations(GroupRequests.GROUP_OPERATIONS);
                }
                answers.add(group);
            }
            return new ConsumerGroupDescribeResponseData().setGroups(answers);
        });
    }
}
