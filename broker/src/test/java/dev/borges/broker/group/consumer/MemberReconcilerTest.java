package dev.borges.broker.group.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberReconcilerTest {
    private static final Uuid T = new Uuid(0, 7);
    private static final MemberReconciler.Owners NOBODY = (topicId, partition) -> null;

    @Test
    void memberAtTheTargetEpochIsLeftAlone() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1), Assignment.EMPTY);

        assertThat(MemberReconciler.reconcile(member, 3, partitions(0, 1, 2), partitions(0, 1), NOBODY)).isSameAs(member);
    }

    @Test
    void partitionsToGiveBackComeFirstAndTheEpochWaits() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1), Assignment.EMPTY);

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 4, partitions(1, 2), partitions(0, 1), NOBODY);

        assertThat(next.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(3);
        assertThat(next.assigned()).as("nothing new before revocation").isEqualTo(partitions(1));
        assertThat(next.pendingRevocation()).isEqualTo(partitions(0));
    }

    @Test
    void partitionsTheMemberNoLongerListsNeedNoRevocation() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1), Assignment.EMPTY);

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 4, partitions(1, 2), partitions(1), NOBODY);

        assertThat(next.state()).isEqualTo(MemberState.STABLE);
        assertThat(next.memberEpoch()).isEqualTo(4);
        assertThat(next.previousMemberEpoch()).isEqualTo(3);
        assertThat(next.assigned()).isEqualTo(partitions(1, 2));
    }

    @Test
    void revocationWaitsForAHeartbeatThatListsOwnedPartitions() {
        ConsumerGroupMember member = member(3, MemberState.UNREVOKED_PARTITIONS, partitions(1), partitions(0));

        assertThat(MemberReconciler.reconcile(member, 4, partitions(1, 2), null, NOBODY)).isSameAs(member);
        assertThat(MemberReconciler.reconcile(member, 4, partitions(1, 2), partitions(0, 1), NOBODY)).isSameAs(member);
        ConsumerGroupMember revoked = MemberReconciler.reconcile(member, 4, partitions(1, 2), partitions(1), NOBODY);
        assertThat(revoked.state()).isEqualTo(MemberState.STABLE);
        assertThat(revoked.assigned()).isEqualTo(partitions(1, 2));
        assertThat(revoked.pendingRevocation()).isEqualTo(Assignment.EMPTY);
    }

    @Test
    void partitionStillOwnedByAnotherMemberWaitsAndTheFreeOnesAreGiven() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, Assignment.EMPTY, Assignment.EMPTY);
        MemberReconciler.Owners owners = (topicId, partition) -> partition == 1 ? "other" : null;

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 4, partitions(0, 1), Assignment.EMPTY, owners);

        assertThat(next.state()).isEqualTo(MemberState.UNRELEASED_PARTITIONS);
        assertThat(next.memberEpoch()).isEqualTo(4);
        assertThat(next.assigned()).isEqualTo(partitions(0));
        ConsumerGroupMember later = MemberReconciler.reconcile(next, 4, partitions(0, 1), partitions(0), NOBODY);
        assertThat(later.state()).isEqualTo(MemberState.STABLE);
        assertThat(later.assigned()).isEqualTo(partitions(0, 1));
    }

    @Test
    void partitionTheMemberItselfWasRevokingCanComeStraightBack() {
        ConsumerGroupMember member = member(3, MemberState.UNREVOKED_PARTITIONS, partitions(1), partitions(0));
        MemberReconciler.Owners owners = (topicId, partition) -> "m";

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 5, partitions(0, 1), partitions(1), owners);

        assertThat(next.state()).isEqualTo(MemberState.STABLE);
        assertThat(next.assigned()).isEqualTo(partitions(0, 1));
    }

    @Test
    void memberInAStateThisBrokerDoesNotKnowIsFencedUnlessItOwnsNothing() {
        ConsumerGroupMember member = member(3, MemberState.UNKNOWN, partitions(0), Assignment.EMPTY);

        assertThatThrownBy(() -> MemberReconciler.reconcile(member, 4, partitions(0), partitions(0), NOBODY))
            .isInstanceOfSatisfying(GroupOperationException.class,
                e -> assertThat(e.error).isEqualTo(Errors.FENCED_MEMBER_EPOCH));
        assertThat(MemberReconciler.reconcile(member, 4, partitions(0), Assignment.EMPTY, NOBODY).state())
            .isEqualTo(MemberState.STABLE);
    }

    @Test
    void keptPartitionsKeepTheirAssignmentEpochAndNewOnesGetTheNewEpoch() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1), Assignment.EMPTY, Map.of(0, 1, 1, 3));

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 4, partitions(0, 1, 2), partitions(0, 1), NOBODY);

        assertThat(next.memberEpoch()).isEqualTo(4);
        assertThat(next.assignmentEpochs()).isEqualTo(epochs(Map.of(0, 1, 1, 3, 2, 4)));
        assertThat(next.mayCommitWith(3, T, 0)).as("kept across the bump").isTrue();
        assertThat(next.mayCommitWith(3, T, 1)).as("assigned at 3").isTrue();
        assertThat(next.mayCommitWith(3, T, 2)).as("newly assigned at 4").isFalse();
        assertThat(next.mayCommitWith(2, T, 1)).as("older than its assignment").isFalse();
        assertThat(next.mayCommitWith(5, T, 0)).as("newer than the member").isFalse();
        assertThat(next.mayCommitWith(3, T, 7)).as("not the member's").isFalse();
        assertThat(next.mayCommitWith(4, T, 7)).as("the current epoch commits anything, as in Kafka").isTrue();
    }

    @Test
    void partitionsPendingRevocationKeepTheirAssignmentEpoch() {
        ConsumerGroupMember member = member(3, MemberState.STABLE, partitions(0, 1), Assignment.EMPTY, Map.of(0, 1, 1, 2));

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 4, partitions(1, 2), partitions(0, 1), NOBODY);

        assertThat(next.state()).isEqualTo(MemberState.UNREVOKED_PARTITIONS);
        assertThat(next.assignmentEpochs()).isEqualTo(epochs(Map.of(0, 1, 1, 2)));
        assertThat(next.mayCommitWith(1, T, 0)).as("still owned until revoked").isTrue();
    }

    @Test
    void revokedPartitionThatComesBackIsAssignedAnew() {
        ConsumerGroupMember member = member(3, MemberState.UNREVOKED_PARTITIONS, partitions(1), partitions(0), Map.of(0, 1, 1, 2));

        ConsumerGroupMember next = MemberReconciler.reconcile(member, 5, partitions(0, 1), partitions(1), (topicId, partition) -> "m");

        assertThat(next.assignmentEpochs()).isEqualTo(epochs(Map.of(0, 5, 1, 2)));
        assertThat(next.mayCommitWith(3, T, 0)).as("given up in between").isFalse();
    }

    private static ConsumerGroupMember member(int epoch, MemberState state, Assignment assigned, Assignment pending) {
        return ConsumerGroupMember.joining("m").withCurrentAssignment(
            new ConsumerGroupRecord.CurrentAssignment("g", "m", epoch, epoch - 1, state, assigned, pending));
    }

    private static ConsumerGroupMember member(
            int epoch, MemberState state, Assignment assigned, Assignment pending, Map<Integer, Integer> assignmentEpochs) {
        return ConsumerGroupMember.joining("m").withCurrentAssignment(
            new ConsumerGroupRecord.CurrentAssignment("g", "m", epoch, epoch - 1, state, assigned, pending,
                epochs(assignmentEpochs)));
    }

    /** Assignment epochs of partitions of {@link #T}. */
    private static Map<TopicPartition, Integer> epochs(Map<Integer, Integer> byPartition) {
        Map<TopicPartition, Integer> epochs = new HashMap<>();
        byPartition.forEach((partition, epoch) -> epochs.put(new TopicPartition(T, partition), epoch));
        return epochs;
    }

    private static Assignment partitions(Integer... partitions) {
        return Assignment.of(Map.of(T, List.of(partitions)));
    }
}
