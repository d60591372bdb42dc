package dev.borges.broker.group.consumer;

import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.assignmentOf;
import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.heartbeat;
import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.join;
import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.leave;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConsumerGroupHeartbeatTest {
    private final ConsumerGroupTestContext context = new ConsumerGroupTestContext();

    @Test
    void firstMemberJoinsAndGetsEveryPartition() {
        context.topic("orders", 3);

        ConsumerGroupHeartbeatResponseData response = context.heartbeat(join("g", "m1", "orders"));

        assertThat(response.errorCode()).isZero();
        assertThat(response.memberId()).isEqualTo("m1");
        assertThat(response.memberEpoch()).isEqualTo(1);
        assertThat(response.heartbeatIntervalMs()).isEqualTo(5_000);
        assertThat(assignmentOf(response)).isEqualTo(context.partitions("orders", 0, 1, 2));
        ConsumerGroup group = context.group("g");
        assertThat(group.groupEpoch()).isEqualTo(1);
        assertThat(group.assignmentEpoch()).isEqualTo(1);
        assertThat(group.state()).isEqualTo(ConsumerGroupState.STABLE);
        assertThat(context.lastResult.records()).map(ConsumerGroupRecord::type).containsExactly(
            ConsumerGroupRecord.RecordType.MEMBER_METADATA,
            ConsumerGroupRecord.RecordType.PARTITION_METADATA,
            ConsumerGroupRecord.RecordType.GROUP_METADATA,
            ConsumerGroupRecord.RecordType.TARGET_ASSIGNMENT_MEMBER,
            ConsumerGroupRecord.RecordType.TARGET_ASSIGNMENT_METADATA,
            ConsumerGroupRecord.RecordType.CURRENT_MEMBER_ASSIGNMENT);
        assertThat(context.timers.get(new ConsumerGroupTimeout.Session("g", "m1").key()).deadlineMs()).isEqualTo(45_000);
    }

    @Test
    void operationsChangeNothingUntilTheirRecordsAreReplayed() {
        context.topic("orders", 3);

        ConsumerGroupResult<ConsumerGroupHeartbeatResponseData> result = context.manager.heartbeat(
            join("g", "m1", "orders"), (short) 1, ConsumerGroupTestContext.CLIENT, 0, context.topics());

        assertThat(result.records()).isNotEmpty();
        assertThat(context.manager.group("g")).isNull();
        result.records().forEach(context.manager::replay);
        assertThat(context.manager.group("g").member("m1").assigned()).isEqualTo(context.partitions("orders", 0, 1, 2));
    }

    @Test
    void versionZeroJoinWithoutMemberIdGetsOneFromTheCoordinator() {
        context.topic("orders", 1);

        ConsumerGroupHeartbeatResponseData response = context.heartbeat(join("g", "", "orders"), (short) 0);

        assertThat(response.errorCode()).isZero();
        assertThat(response.memberId()).isEqualTo("generated-1");
        assertThat(context.group("g").member("generated-1")).isNotNull();
    }

    @Test
    void versionOneJoinMustBringItsMemberId() {
        ConsumerGroupHeartbeatResponseData response = context.heartbeat(join("g", "", "orders"), (short) 1);

        assertError(response, Errors.INVALID_REQUEST, "MemberId can't be empty.");
        assertThat(context.log).isEmpty();
    }

    @Test
    void joinWithoutRequiredFieldsIsInvalid() {
        assertError(context.heartbeat(join("g", "m1", "t").setRebalanceTimeoutMs(-1)), Errors.INVALID_REQUEST,
            "RebalanceTimeoutMs must be provided in first request.");
        assertError(context.heartbeat(join("g", "m1", "t").setTopicPartitions(null)), Errors.INVALID_REQUEST,
            "TopicPartitions must be empty when (re-)joining.");
        assertError(context.heartbeat(join("g", "m1").setSubscribedTopicNames(null)), Errors.INVALID_REQUEST,
            "Either SubscribedTopicNames or SubscribedTopicRegex must be non-null when (re-)joining.");
        assertError(context.heartbeat(join("", "m1", "t")), Errors.INVALID_REQUEST, "GroupId can't be empty.");
        assertError(context.heartbeat(join("g", "m1", "t").setInstanceId(" ")), Errors.INVALID_REQUEST,
            "InstanceId can't be empty.");
        assertError(context.heartbeat(heartbeat("g", "m1", -3, null)), Errors.INVALID_REQUEST, "MemberEpoch is invalid.");
        assertError(context.heartbeat(heartbeat("g", "m1", -2, null)), Errors.INVALID_REQUEST, "InstanceId can't be null.");
        assertThat(context.log).isEmpty();
    }

    @Test
    void unknownServerAssignorIsUnsupported() {
        ConsumerGroupHeartbeatResponseData response = context.heartbeat(join("g", "m1", "t").setServerAssignor("sticky"));

        assertError(response, Errors.UNSUPPORTED_ASSIGNOR,
            "ServerAssignor sticky is not supported. Supported assignors: uniform, range.");
    }

    @Test
    void regexThatDoesNotCompileIsInvalid() {
        ConsumerGroupHeartbeatResponseData response = context.heartbeat(
            join("g", "m1").setSubscribedTopicNames(List.of()).setSubscribedTopicRegex("orders-("));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code);
        assertThat(response.errorMessage()).startsWith("SubscribedTopicRegex `orders-(` is not a valid regular expression");
    }

    @Test
    void regexTooCostlyToEvaluateIsInvalid() {
        context.topic("a".repeat(30) + "!", 1);

        // Nested unbounded repetition: exponential backtracking in java.util.regex.
        ConsumerGroupHeartbeatResponseData response = context.heartbeat(
            join("g", "m1").setSubscribedTopicNames(List.of()).setSubscribedTopicRegex("(.*a){10}b"));

        assertThat(response.errorCode()).isEqualTo(Errors.INVALID_REGULAR_EXPRESSION.code);
        assertThat(response.errorMessage()).contains("takes too long to evaluate");
    }

    @Test
    void heartbeatsOfUnknownGroupsAndMembersAndWrongEpochsAreRefused() {
        context.topic("orders", 2);
        assertError(context.heartbeat(heartbeat("g", "m1", 1, null)), Errors.GROUP_ID_NOT_FOUND,
            "Consumer group g not found.");
        assertError(context.heartbeat(leave("g", "m1")), Errors.GROUP_ID_NOT_FOUND, "Consumer group g not found.");
        context.heartbeat(join("g", "m1", "orders"));

        assertError(context.heartbeat(heartbeat("g", "m9", 1, null)), Errors.UNKNOWN_MEMBER_ID,
            "Member m9 is not a member of group g.");
        assertThat(context.heartbeat(heartbeat("g", "m1", 2, null)).errorCode()).isEqualTo(Errors.FENCED_MEMBER_EPOCH.code);
        assertThat(context.heartbeat(heartbeat("g", "m9", -1, null)).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
    }

    @Test
    void secondMemberGetsPartitionsOnlyAfterTheFirstRevokesThem() {
        context.topic("orders", 4);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders")));
        assertThat(all).isEqualTo(context.partitions("orders", 0, 1, 2, 3));

        ConsumerGroupHeartbeatResponseData second = context.heartbeat(join("g", "m2", "orders"));
        assertThat(second.memberEpoch()).isEqualTo(2);
        assertThat(assignmentOf(second)).isEqualTo(Assignment.EMPTY);
        assertThat(context.member("g", "m2").state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
        assertThat(context.group("g").state()).isEqualTo(ConsumerGroupState.RECONCILING);

        ConsumerGroupHeartbeatResponseData revoke = context.heartbeat(heartbeat("g", "m1", 1, all));
        assertThat(revoke.memberEpoch()).isEqualTo(1);
        assertThat(assignmentOf(revoke)).isEqualTo(context.partitions("orders", 0, 1));
        assertThat(context.member("g", "m1").state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(context.member("g", "m1").pendingRevocation()).isEqualTo(context.partitions("orders", 2, 3));

        assertThat(assignmentOf(context.heartbeat(heartbeat("g", "m2", 2, Assignment.EMPTY)))).isNull();
        assertThat(context.member("g", "m2").assigned()).isEqualTo(Assignment.EMPTY);

        ConsumerGroupHeartbeatResponseData revoked = context.heartbeat(heartbeat("g", "m1", 1, context.partitions("orders", 0, 1)));
        assertThat(revoked.memberEpoch()).isEqualTo(2);
        assertThat(context.member("g", "m1").state()).isEqualTo(MemberState.STABLE);

        ConsumerGroupHeartbeatResponseData assigned = context.heartbeat(heartbeat("g", "m2", 2, Assignment.EMPTY));
        assertThat(assignmentOf(assigned)).isEqualTo(context.partitions("orders", 2, 3));
        assertThat(context.group("g").state()).isEqualTo(ConsumerGroupState.STABLE);
    }

    @Test
    void heartbeatThatDoesNotListOwnedPartitionsDoesNotCompleteARevocation() {
        context.topic("orders", 2);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders")));
        context.heartbeat(join("g", "m2", "orders"));
        context.heartbeat(heartbeat("g", "m1", 1, all));

        context.heartbeat(heartbeat("g", "m1", 1, null));

        assertThat(context.member("g", "m1").state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(context.member("g", "m1").memberEpoch()).isEqualTo(1);
    }

    @Test
    void memberThatMissedItsEpochBumpMayHeartbeatWithThePreviousEpoch() {
        context.topic("orders", 2);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders")));
        context.heartbeat(join("g", "m2", "orders"));
        context.heartbeat(heartbeat("g", "m1", 1, all));
        // The response that moves m1 to epoch 2 is lost.
        context.heartbeat(heartbeat("g", "m1", 1, context.partitions("orders", 0)));
        assertThat(context.member("g", "m1").memberEpoch()).isEqualTo(2);

        ConsumerGroupHeartbeatResponseData retried = context.heartbeat(heartbeat("g", "m1", 1, context.partitions("orders", 0)));

        assertThat(retried.errorCode()).isZero();
        assertThat(retried.memberEpoch()).isEqualTo(2);
        assertThat(context.heartbeat(heartbeat("g", "m1", 1, context.partitions("orders", 0, 1))).errorCode())
            .as("owning more than assigned at the previous epoch").isEqualTo(Errors.FENCED_MEMBER_EPOCH.code);
    }

    @Test
    void fencedMemberRejoinsWithEpochZeroUnderTheSameMemberId() {
        context.topic("orders", 2);
        context.heartbeat(join("g", "m1", "orders"));
        context.heartbeat(join("g", "m2", "orders"));
        context.heartbeat(heartbeat("g", "m2", 2, Assignment.EMPTY));

        ConsumerGroupHeartbeatResponseData rejoined = context.heartbeat(join("g", "m2", "orders"));

        assertThat(rejoined.errorCode()).isZero();
        assertThat(rejoined.memberEpoch()).isEqualTo(2);
        assertThat(rejoined.assignment()).isNotNull();
    }

    @Test
    void leavingReleasesPartitionsAndTheOthersTakeThemOver() {
        context.topic("orders", 2);
        Assignment first = assignmentOf(context.heartbeat(join("g", "m1", "orders")));
        context.heartbeat(join("g", "m2", "orders"));
        context.heartbeat(heartbeat("g", "m1", 1, first));
        context.heartbeat(heartbeat("g", "m1", 1, context.partitions("orders", 0)));
        context.heartbeat(heartbeat("g", "m2", 2, Assignment.EMPTY));
        assertThat(context.member("g", "m2").assigned()).isEqualTo(context.partitions("orders", 1));

        ConsumerGroupHeartbeatResponseData left = context.heartbeat(leave("g", "m2"));

        assertThat(left.errorCode()).isZero();
        assertThat(left.memberEpoch()).isEqualTo(-1);
        assertThat(context.group("g").member("m2")).isNull();
        assertThat(context.group("g").groupEpoch()).isEqualTo(3);
        assertThat(context.group("g").owner(context.topicId("orders"), 1)).isNull();
        assertThat(context.timers).doesNotContainKey(new ConsumerGroupTimeout.Session("g", "m2").key());
        assertThat(assignmentOf(context.heartbeat(heartbeat("g", "m1", 2, context.partitions("orders", 0)))))
            .isEqualTo(context.partitions("orders", 0, 1));
    }

    @Test
    void lastMemberLeavingEmptiesTheGroup() {
        context.topic("orders", 2);
        context.heartbeat(join("g", "m1", "orders"));

        context.heartbeat(leave("g", "m1"));

        assertThat(context.group("g").state()).isEqualTo(ConsumerGroupState.EMPTY);
        assertThat(context.group("g").subscriptionMetadata()).isEmpty();
    }

    @Test
    void silentMemberIsRemovedWhenItsSessionTimesOut() {
        context.topic("orders", 2);
        context.heartbeat(join("g", "m1", "orders"));
        context.heartbeat(join("g", "m2", "orders"));
        context.advance(40_000);
        context.heartbeat(heartbeat("g", "m1", 1, null));

        context.advance(40_000);

        assertThat(context.group("g").member("m1")).as("heartbeat restarted its session").isNotNull();
        assertThat(context.group("g").member("m2")).isNull();
        assertThat(context.heartbeat(heartbeat("g", "m2", 2, null)).errorCode()).isEqualTo(Errors.UNKNOWN_MEMBER_ID.code);
    }

    @Test
    void memberThatDoesNotRevokeWithinItsRebalanceTimeoutIsRemoved() {
        context.topic("orders", 2);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders").setRebalanceTimeoutMs(10_000)));
        context.heartbeat(join("g", "m2", "orders"));
        context.heartbeat(heartbeat("g", "m1", 1, all));
        assertThat(context.member("g", "m1").state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);

        context.advance(5_000);
        context.heartbeat(heartbeat("g", "m1", 1, all));
        context.heartbeat(heartbeat("g", "m2", 2, Assignment.EMPTY));
        context.advance(5_000);

        assertThat(context.group("g").member("m1")).isNull();
        assertThat(assignmentOf(context.heartbeat(heartbeat("g", "m2", 2, Assignment.EMPTY))))
            .isEqualTo(context.partitions("orders", 0, 1));
    }

    @Test
    void rebalanceTimeoutIsCancelledOnceTheMemberRevokes() {
        context.topic("orders", 2);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders").setRebalanceTimeoutMs(10_000)));
        context.heartbeat(join("g", "m2", "orders"));
        context.heartbeat(heartbeat("g", "m1", 1, all));

        context.heartbeat(heartbeat("g", "m1", 1, context.partitions("orders", 0)));
        context.advance(10_000);

        assertThat(context.group("g").member("m1")).isNotNull();
        assertThat(context.timers).doesNotContainKey(new ConsumerGroupTimeout.Rebalance("g", "m1", 0).key());
    }

    @Test
    void staticMemberThatLeavesForNowKeepsItsPartitionsForItsNextIncarnation() {
        context.topic("orders", 2);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders").setInstanceId("i1")));
        int groupEpoch = context.group("g").groupEpoch();

        ConsumerGroupHeartbeatResponseData away = context.heartbeat(heartbeat("g", "m1", -2, null).setInstanceId("i1"));
        assertThat(away.memberEpoch()).isEqualTo(-2);
        assertThat(context.group("g").owner(context.topicId("orders"), 0).memberId()).isEqualTo("m1");

        ConsumerGroupHeartbeatResponseData back = context.heartbeat(join("g", "m1b", "orders").setInstanceId("i1"));

        assertThat(back.errorCode()).isZero();
        assertThat(assignmentOf(back)).isEqualTo(all);
        assertThat(back.memberEpoch()).isEqualTo(groupEpoch);
        assertThat(context.group("g").groupEpoch()).as("no rebalance").isEqualTo(groupEpoch);
        assertThat(context.group("g").members()).containsOnlyKeys("m1b");
        assertThat(context.group("g").staticMember("i1").memberId()).isEqualTo("m1b");
        assertThat(context.timers).doesNotContainKey(new ConsumerGroupTimeout.Session("g", "m1").key());
    }

    @Test
    void staticInstanceIdCannotBeTakenWhileItsMemberIsThere() {
        context.topic("orders", 2);
        context.heartbeat(join("g", "m1", "orders").setInstanceId("i1"));

        assertError(context.heartbeat(join("g", "m2", "orders").setInstanceId("i1")), Errors.UNRELEASED_INSTANCE_ID,
            "Static member m2 with instance id i1 cannot join the group because the instance id is owned by m1 member.");
        assertError(context.heartbeat(heartbeat("g", "m2", 1, null).setInstanceId("i1")), Errors.FENCED_INSTANCE_ID,
            "Static member m2 with instance id i1 was fenced by member m1.");
        assertError(context.heartbeat(heartbeat("g", "m2", 1, null).setInstanceId("i9")), Errors.UNKNOWN_MEMBER_ID,
            "Instance id i9 is unknown.");
        assertThat(context.heartbeat(heartbeat("g", "m2", -2, null).setInstanceId("i1")).errorCode())
            .isEqualTo(Errors.FENCED_INSTANCE_ID.code);
    }

    @Test
    void staticMemberThatDoesNotComeBackWithinItsSessionIsRemoved() {
        context.topic("orders", 2);
        context.heartbeat(join("g", "m1", "orders").setInstanceId("i1"));
        context.heartbeat(heartbeat("g", "m1", -2, null).setInstanceId("i1"));

        context.advance(45_000);

        assertThat(context.group("g").members()).isEmpty();
        assertThat(context.group("g").staticMember("i1")).isNull();
    }

    @Test
    void groupRefusesMembersBeyondItsMaximumSize() {
        ConsumerGroupTestContext small = new ConsumerGroupTestContext(ConsumerGroupConfig.DEFAULTS.withMaxSize(2));
        small.topic("orders", 2);
        small.heartbeat(join("g", "m1", "orders"));
        small.heartbeat(join("g", "m2", "orders"));

        assertError(small.heartbeat(join("g", "m3", "orders")), Errors.GROUP_MAX_SIZE_REACHED,
            "The consumer group has reached its maximum capacity of 2 members.");
        assertThat(small.heartbeat(heartbeat("g", "m2", 2, null)).errorCode()).isZero();
    }

    @Test
    void addedPartitionsAreAssignedOnTheNextHeartbeat() {
        context.topic("orders", 2);
        Assignment first = assignmentOf(context.heartbeat(join("g", "m1", "orders")));
        context.topic("orders", 4);

        ConsumerGroupHeartbeatResponseData response = context.heartbeat(heartbeat("g", "m1", 1, first));

        assertThat(response.memberEpoch()).isEqualTo(2);
        assertThat(assignmentOf(response)).isEqualTo(context.partitions("orders", 0, 1, 2, 3));
        assertThat(context.group("g").subscriptionMetadata().get("orders").partitionCount()).isEqualTo(4);
    }

    @Test
    void topicCreatedLaterIsPickedUpWhenSubscribedByName() {
        ConsumerGroupHeartbeatResponseData joined = context.heartbeat(join("g", "m1", "orders"));
        assertThat(assignmentOf(joined)).isEqualTo(Assignment.EMPTY);
        context.topic("orders", 1);

        ConsumerGroupHeartbeatResponseData response = context.heartbeat(heartbeat("g", "m1", 1, Assignment.EMPTY));

        assertThat(assignmentOf(response)).isEqualTo(context.partitions("orders", 0));
    }

    @Test
    void regexSubscriptionFollowsTopicsCreatedAndDeleted() {
        context.topic("orders-eu", 1);
        context.topic("payments", 1);
        Assignment first = assignmentOf(context.heartbeat(
            join("g", "m1").setSubscribedTopicNames(List.of()).setSubscribedTopicRegex("orders-.*")));
        assertThat(first).isEqualTo(context.partitions("orders-eu", 0));

        context.topic("orders-us", 2);
        Assignment second = assignmentOf(context.heartbeat(heartbeat("g", "m1", 1, first)));
        assertThat(second).isEqualTo(context.partitions("orders-eu", 0, "orders-us", 0, 1));

        Assignment usOnly = context.partitions("orders-us", 0, 1);
        context.deleteTopic("orders-eu");
        ConsumerGroupHeartbeatResponseData revoke = context.heartbeat(heartbeat("g", "m1", 2, second));
        assertThat(assignmentOf(revoke)).isEqualTo(usOnly);
        ConsumerGroupHeartbeatResponseData done = context.heartbeat(heartbeat("g", "m1", 2, usOnly));
        assertThat(done.memberEpoch()).isEqualTo(3);
        assertThat(context.member("g", "m1").state()).isEqualTo(MemberState.STABLE);
    }

    @Test
    void subscriptionChangeBumpsTheEpochAndRevokesTheTopicsLeft() {
        context.topic("orders", 1);
        context.topic("payments", 1);
        Assignment both = assignmentOf(context.heartbeat(join("g", "m1", "orders", "payments")));

        ConsumerGroupHeartbeatResponseData response = context.heartbeat(
            heartbeat("g", "m1", 1, both).setSubscribedTopicNames(List.of("payments")));

        assertThat(context.group("g").groupEpoch()).isEqualTo(2);
        assertThat(assignmentOf(response)).isEqualTo(context.partitions("payments", 0));
        assertThat(context.member("g", "m1").subscribedTopicNames()).containsExactly("payments");
    }

    @Test
    void partialHeartbeatWithNothingNewCarriesNoAssignment() {
        context.topic("orders", 1);
        Assignment owned = assignmentOf(context.heartbeat(join("g", "m1", "orders")));
        int records = context.log.size();

        ConsumerGroupHeartbeatResponseData response = context.heartbeat(heartbeat("g", "m1", 1, null));

        assertThat(response.assignment()).isNull();
        assertThat(context.log).hasSize(records);
        assertThat(context.heartbeat(heartbeat("g", "m1", 1, owned)
            .setRebalanceTimeoutMs(300_000).setSubscribedTopicNames(List.of("orders"))).assignment())
            .as("a full heartbeat gets its assignment").isNotNull();
    }

    @Test
    void groupUsesTheAssignorMostMembersAskFor() {
        context.topic("left", 4);
        context.topic("right", 4);
        ConsumerGroupHeartbeatRequestData first = join("g", "m1", "left", "right").setServerAssignor("range");
        context.heartbeat(first);
        context.heartbeat(join("g", "m2", "left", "right").setServerAssignor("range"));

        assertThat(context.group("g").targetAssignment("m1"))
            .as("co-partitioned ranges").isEqualTo(context.partitions("left", 0, 1, "right", 0, 1));
        assertThat(context.group("g").targetAssignment("m2")).isEqualTo(context.partitions("left", 2, 3, "right", 2, 3));
    }

    private static void assertError(ConsumerGroupHeartbeatResponseData response, Errors error, String message) {
        assertThat(response.errorCode()).isEqualTo(error.code);
        assertThat(response.errorMessage()).isEqualTo(message);
    }
}
