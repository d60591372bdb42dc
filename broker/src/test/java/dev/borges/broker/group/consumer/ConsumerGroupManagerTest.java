package dev.borges.broker.group.consumer;

import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.assignmentOf;
import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.heartbeat;
import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.join;
import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.leave;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.CommitPartitionValidator;
import dev.borges.broker.group.assignor.Assignment;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupDescribeResponseData;
import dev.borges.protocol.message.DescribeGroupsResponseData;
import dev.borges.protocol.message.ListGroupsResponseData;
import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Describe, list, delete, timeouts after a load, offset checks: what other APIs need of consumer groups. */
class ConsumerGroupManagerTest {
    private final ConsumerGroupTestContext context = new ConsumerGroupTestContext();

    @Test
    void describesMembersAssignmentsTargetsAndEpochs() {
        context.topic("orders", 2);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders").setInstanceId("i1").setRackId("rack-a")));
        context.heartbeat(join("g", "m2").setSubscribedTopicNames(List.of()).setSubscribedTopicRegex("ord.*")
            .setServerAssignor("range"));
        context.heartbeat(heartbeat("g", "m1", 1, all));

        ConsumerGroupDescribeResponseData.DescribedGroup described =
            context.manager.describe(List.of("g"), context.topics()).get(0);

        assertThat(described.errorCode()).isZero();
        assertThat(described.groupState()).isEqualTo("Reconciling");
        assertThat(described.groupEpoch()).isEqualTo(2);
        assertThat(described.assignmentEpoch()).isEqualTo(2);
        assertThat(described.assignorName()).isEqualTo("range");
        assertThat(described.members()).hasSize(2);
        ConsumerGroupDescribeResponseData.Member m1 = described.members().get(0);
        assertThat(m1.memberId()).isEqualTo("m1");
        assertThat(m1.instanceId()).isEqualTo("i1");
        assertThat(m1.rackId()).isEqualTo("rack-a");
        assertThat(m1.memberEpoch()).isEqualTo(1);
        assertThat(m1.clientId()).isEqualTo("client");
        assertThat(m1.clientHost()).isEqualTo("/127.0.0.1");
        assertThat(m1.subscribedTopicNames()).containsExactly("orders");
        assertThat(m1.subscribedTopicRegex()).isNull();
        assertThat(m1.memberType()).isEqualTo((byte) 1);
        assertThat(m1.assignment().topicPartitions()).singleElement().satisfies(topic -> {
            assertThat(topic.topicName()).isEqualTo("orders");
            assertThat(topic.topicId()).isEqualTo(context.topicId("orders"));
            assertThat(topic.partitions()).containsExactly(0);
        });
        assertThat(m1.targetAssignment().topicPartitions().get(0).partitions()).containsExactly(0);
        ConsumerGroupDescribeResponseData.Member m2 = described.members().get(1);
        assertThat(m2.subscribedTopicRegex()).isEqualTo("ord.*");
        assertThat(m2.assignment().topicPartitions()).isEmpty();
        assertThat(m2.targetAssignment().topicPartitions().get(0).partitions()).containsExactly(1);
    }

    @Test
    void describingAnUnknownGroupIsGroupIdNotFound() {
        ConsumerGroupDescribeResponseData.DescribedGroup described =
            context.manager.describe(List.of("nope"), context.topics()).get(0);

        assertThat(described.groupId()).isEqualTo("nope");
        assertThat(described.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(described.errorMessage()).isEqualTo("Group nope not found.");
    }

    @Test
    void listsGroupsAsConsumerGroupsWithKafkasStateNames() {
        context.topic("orders", 1);
        context.heartbeat(join("stable", "m1", "orders"));
        context.heartbeat(join("empty", "m1", "orders"));
        context.heartbeat(leave("empty", "m1"));

        List<ListGroupsResponseData.ListedGroup> all = context.manager.listGroups(Set.of(), Set.of());
        assertThat(all).extracting(ListGroupsResponseData.ListedGroup::groupId).containsExactly("empty", "stable");
        assertThat(all).allSatisfy(group -> {
            assertThat(group.protocolType()).isEqualTo("consumer");
            assertThat(group.groupType()).isEqualTo("consumer");
        });
        assertThat(all).extracting(ListGroupsResponseData.ListedGroup::groupState).containsExactly("Empty", "Stable");
        assertThat(context.manager.listGroups(Set.of("STABLE"), Set.of())).extracting(ListGroupsResponseData.ListedGroup::groupId)
            .containsExactly("stable");
        assertThat(context.manager.listGroups(Set.of(), Set.of("Consumer"))).hasSize(2);
        assertThat(context.manager.listGroups(Set.of(), Set.of("classic"))).isEmpty();
    }

    @Test
    void classicDescribeGroupsOfAConsumerGroupAnswersAsKafkaDoes() {
        context.topic("orders", 1);
        context.heartbeat(join("g", "m1", "orders"));

        DescribeGroupsResponseData.DescribedGroup described = context.manager.describeAsClassic("g").orElseThrow();

        assertThat(described.errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(described.groupState()).isEqualTo("Dead");
        assertThat(described.errorMessage()).isEqualTo("Group g is not a classic group.");
        assertThat(context.manager.describeAsClassic("other")).isEmpty();
    }

    @Test
    void onlyAnEmptyGroupCanBeDeletedAndThenItIsGone() {
        context.topic("orders", 1);
        context.heartbeat(join("g", "m1", "orders"));
        assertThat(context.manager.deleteGroup("g").response()).isEqualTo(Errors.NON_EMPTY_GROUP);
        assertThat(context.manager.deleteGroup("other").response()).isEqualTo(Errors.GROUP_ID_NOT_FOUND);
        context.heartbeat(leave("g", "m1"));

        ConsumerGroupResult<Errors> deleted = context.manager.deleteGroup("g");
        context.apply(deleted.records(), deleted.timers());

        assertThat(deleted.response()).isEqualTo(Errors.NONE);
        assertThat(deleted.records()).allMatch(record -> record instanceof ConsumerGroupRecord.Tombstone);
        assertThat(context.group("g")).isNull();
        assertThat(context.replayedFromLog().group("g")).isNull();
        assertThat(context.heartbeat(heartbeat("g", "m1", 1, null)).errorCode()).isEqualTo(Errors.GROUP_ID_NOT_FOUND.code);
        assertThat(context.heartbeat(join("g", "m1", "orders")).memberEpoch()).as("a new group, from epoch 1").isEqualTo(1);
    }

    @Test
    void replayingTheLogRebuildsTheGroupsAndRestartsTheirTimeouts() {
        context.topic("orders", 2);
        Assignment all = assignmentOf(context.heartbeat(join("g", "m1", "orders").setRebalanceTimeoutMs(20_000)));
        context.heartbeat(join("g", "m2", "orders"));
        context.heartbeat(heartbeat("g", "m1", 1, all));

        ConsumerGroupManager restarted = context.replayedFromLog();

        assertThat(restarted.group("g").snapshot()).isEqualTo(context.group("g").snapshot());
        assertThat(restarted.group("g").owner(context.topicId("orders"), 1).memberId()).isEqualTo("m1");
        assertThat(restarted.timersAfterLoad(1_000)).containsExactlyInAnyOrder(
            new TimerChange.Schedule(new ConsumerGroupTimeout.Session("g", "m1"), 46_000),
            new TimerChange.Schedule(new ConsumerGroupTimeout.Rebalance("g", "m1", 1), 21_000),
            new TimerChange.Schedule(new ConsumerGroupTimeout.Session("g", "m2"), 46_000));
    }

    @Test
    void staleTimeoutsDoNothing() {
        context.topic("orders", 1);
        context.heartbeat(join("g", "m1", "orders"));

        assertThat(context.manager.expire(new ConsumerGroupTimeout.Rebalance("g", "m1", 1), 0, context.topics()).records())
            .as("m1 is not revoking anything").isEmpty();
        assertThat(context.manager.expire(new ConsumerGroupTimeout.Session("g", "gone"), 0, context.topics()).records()).isEmpty();
        assertThat(context.manager.expire(new ConsumerGroupTimeout.Session("other", "m1"), 0, context.topics()).records()).isEmpty();
    }

    @Test
    void offsetCommitsMustComeFromAMemberAtItsCurrentEpoch() {
        context.topic("orders", 1);
        context.heartbeat(join("g", "m1", "orders"));
        ConsumerGroup group = context.group("g");

        Uuid orders = context.topicId("orders");
        assertThat(group.offsetCommitError("m1", 1, false)).isEqualTo(Errors.NONE);
        assertThat(group.offsetCommitError("m1", 2, false)).as("newer than the member's").isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(group.offsetCommitError("m1", 2, true)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(group.offsetCommitError("m1", 0, false, orders, 0)).as("older than the partition's assignment")
            .isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(group.offsetCommitError("m1", 0, true, orders, 0)).isEqualTo(Errors.ILLEGAL_GENERATION);
        assertThat(group.offsetCommitError("m9", 1, false)).isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.offsetCommitError("", -1, false)).as("tools may not commit while members consume")
            .isEqualTo(Errors.UNKNOWN_MEMBER_ID);
        assertThat(group.offsetFetchError("m1", 1)).isEqualTo(Errors.NONE);
        assertThat(group.offsetFetchError("m1", 2)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
        assertThat(group.offsetFetchError(null, -1)).isEqualTo(Errors.NONE);
        assertThat(group.isSubscribedTo("orders")).isTrue();
        assertThat(group.isSubscribedTo("payments")).isFalse();

        context.heartbeat(leave("g", "m1"));
        assertThat(group.offsetCommitError("", -1, false)).isEqualTo(Errors.NONE);
    }

    @Test
    void aCommitWithAnOlderEpochCountsForThePartitionsTheMemberHeldSinceThen() {
        // OffsetCommit and TxnOffsetCommit alike
        Uuid orders = context.topic("orders", 2);
        Assignment both = assignmentOf(context.heartbeat(join("g", "m1", "orders")));
        context.heartbeat(join("g", "m2", "orders"));
        Assignment kept = assignmentOf(context.heartbeat(heartbeat("g", "m1", 1, both)));
        context.heartbeat(heartbeat("g", "m1", 1, kept));
        assertThat(context.member("g", "m1").memberEpoch()).isEqualTo(2);
        assertThat(kept).isEqualTo(Assignment.of(Map.of(orders, List.of(0))));
        context.heartbeat(leave("g", "m2"));
        context.heartbeat(heartbeat("g", "m1", 2, kept));
        ConsumerGroupMember m1 = context.member("g", "m1");
        assertThat(m1.memberEpoch()).isEqualTo(3);
        assertThat(m1.assigned()).isEqualTo(both);

        for (ConsumerGroup group : List.of(context.group("g"), context.replayedFromLog().group("g"))) {
            assertThat(group.offsetCommitError("m1", 2, false, orders, 0)).as("held since epoch 1").isEqualTo(Errors.NONE);
            assertThat(group.offsetCommitError("m1", 1, false, orders, 0)).isEqualTo(Errors.NONE);
            assertThat(group.offsetCommitError("m1", 2, false, orders, 1)).as("newly assigned at epoch 3")
                .isEqualTo(Errors.STALE_MEMBER_EPOCH);
            assertThat(group.offsetCommitError("m1", 3, false, orders, 1)).isEqualTo(Errors.NONE);
            CommitPartitionValidator validator = group.validateOffsetCommit("m1", null, 2, (short) 9);
            assertThat(validator.validate(orders, 0)).isEqualTo(Errors.NONE);
            assertThat(validator.validate(orders, 1)).isEqualTo(Errors.STALE_MEMBER_EPOCH);
            assertThat(validator.validate(Uuid.ZERO, 0)).as("a topic without an id").isEqualTo(Errors.STALE_MEMBER_EPOCH);
            assertThat(group.validateOffsetCommit("m1", null, 3, (short) 9)).isSameAs(CommitPartitionValidator.NO_OP);
            CommitPartitionValidator transactional = group.validateTransactionalOffsetCommit("m1", null, 2);
            assertThat(transactional.validate(orders, 0)).as("TxnOffsetCommit: the same check").isEqualTo(Errors.NONE);
            assertThat(transactional.validate(orders, 1)).isEqualTo(Errors.ILLEGAL_GENERATION);
        }
    }

    @Test
    void aMemberReplayedFromARecordWithoutAssignmentEpochsCommitsOnlyWithItsCurrentEpoch() {
        Uuid orders = context.topic("orders", 2);
        context.heartbeat(join("g", "m1", "orders"));
        ConsumerGroupManager restarted = context.replayedFromLog();
        Assignment both = context.member("g", "m1").assigned();
        ConsumerGroupRecord.CurrentAssignment current = context.member("g", "m1").currentAssignmentRecord("g");
        restarted.replay(ConsumerGroupRecordCodec.decode(ConsumerGroupRecordCodec.key(current),
            ConsumerGroupRecordCodecTest.kafkaValueBeforeAssignmentEpochs(4, both, Assignment.EMPTY)));
        ConsumerGroup group = restarted.group("g");

        assertThat(group.member("m1").memberEpoch()).isEqualTo(4);
        assertThat(group.offsetCommitError("m1", 4, false, orders, 0)).isEqualTo(Errors.NONE);
        assertThat(group.offsetCommitError("m1", 3, false, orders, 0)).as("assigned at the member epoch, for all Kafka knew")
            .isEqualTo(Errors.STALE_MEMBER_EPOCH);
    }
}
