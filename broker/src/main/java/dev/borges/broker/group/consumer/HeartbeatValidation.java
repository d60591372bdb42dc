package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.PartitionAssignor;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The checks a ConsumerGroupHeartbeat request must pass before it touches any group, with
 * Kafka's errors and messages: INVALID_REQUEST for missing or malformed fields,
 * UNSUPPORTED_ASSIGNOR, INVALID_REGULAR_EXPRESSION. Stateless.
 */
final class HeartbeatValidation {
    /** From this version on the consumer generates its member id (KIP-1082). */
    static final short CLIENT_MEMBER_ID_VERSION = 1;
    static final int LEAVE_EPOCH = -1;

    private HeartbeatValidation() {
    }

    /** @throws GroupOperationException if the request is invalid */
    static void validate(ConsumerGroupHeartbeatRequestData request, short apiVersion, List<PartitionAssignor> assignors) {
        int epoch = request.memberEpoch();
        if (apiVersion >= CLIENT_MEMBER_ID_VERSION || epoch > 0 || epoch == LEAVE_EPOCH) {
            requireNotBlank(request.memberId(), "MemberId can't be empty.");
        }
        requireNotBlank(request.groupId(), "GroupId can't be empty.");
        requireNotBlank(request.instanceId(), "InstanceId can't be empty.");
        requireNotBlank(request.rackId(), "RackId can't be empty.");
        if (epoch == 0) {
            if (request.rebalanceTimeoutMs() == -1) {
                throw invalid("RebalanceTimeoutMs must be provided in first request.");
            }
            if (request.topicPartitions() == null || !request.topicPartitions().isEmpty()) {
                throw invalid("TopicPartitions must be empty when (re-)joining.");
            }
            if (request.subscribedTopicNames() == null && request.subscribedTopicRegex() == null) {
                throw invalid("Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
            }
        } else if (epoch == ConsumerGroupMember.STATIC_LEFT_EPOCH) {
            if (request.instanceId() == null) {
                throw invalid("InstanceId can't be null.");
            }
        } else if (epoch < ConsumerGroupMember.STATIC_LEFT_EPOCH) {
            throw invalid("MemberEpoch is invalid.");
        }
        if (request.serverAssignor() != null && PartitionAssignor.named(assignors, request.serverAssignor()).isEmpty()) {
            throw new GroupOperationException(Errors.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + request.serverAssignor()
                + " is not supported. Supported assignors: "
                + assignors.stream().map(PartitionAssignor::name).collect(Collectors.joining(", ")) + ".");
        }
        if (request.subscribedTopicRegex() != null && !request.subscribedTopicRegex().isEmpty()) {
            TopicSubscriptions.compile(request.subscribedTopicRegex());
        }
    }

    private static void requireNotBlank(String value, String message) {
        if (value != null && value.isBlank()) {
            throw invalid(message);
        }
    }

    private static GroupOperationException invalid(String message) {
        return new GroupOperationException(Errors.INVALID_REQUEST, message);
    }
}
