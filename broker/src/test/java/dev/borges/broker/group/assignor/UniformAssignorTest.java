package dev.borges.broker.group.assignor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UniformAssignorTest {
    private static final Uuid A = new Uuid(0, 1);
    private static final Uuid B = new Uuid(0, 2);
    private final UniformAssignor assignor = new UniformAssignor();

    @Test
    void spreadsPartitionsOfAllTopicsEvenly() {
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(A, B), Assignment.EMPTY),
            "m2", member(Set.of(A, B), Assignment.EMPTY),
            "m3", member(Set.of(A, B), Assignment.EMPTY)), Map.of(A, 4, B, 3));

        Map<String, Assignment> result = assignor.assign(spec);

        // 7 partitions over 3 members: quotas 3, 2, 2; in topic and partition order.
        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(A, List.of(0, 1), B, List.of(2))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(A, List.of(2, 3))));
        assertThat(result.get("m3")).isEqualTo(Assignment.of(Map.of(B, List.of(0, 1))));
    }

    @Test
    void keepsCurrentPartitionsAndMovesOnlyTheNewMembersShare() {
        Assignment m1 = Assignment.of(Map.of(A, List.of(0, 1, 2)));
        Assignment m2 = Assignment.of(Map.of(A, List.of(3, 4, 5)));
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(A), m1),
            "m2", member(Set.of(A), m2),
            "m3", member(Set.of(A), Assignment.EMPTY)), Map.of(A, 6));

        Map<String, Assignment> result = assignor.assign(spec);

        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(A, List.of(0, 1))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(A, List.of(3, 4))));
        assertThat(result.get("m3")).isEqualTo(Assignment.of(Map.of(A, List.of(2, 5))));
    }

    @Test
    void membersWithDifferentTopicsShareWhatTheyCan() {
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(A), Assignment.EMPTY),
            "m2", member(Set.of(A, B), Assignment.EMPTY)), Map.of(A, 4, B, 4));

        Map<String, Assignment> result = assignor.assign(spec);

        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(A, List.of(0, 1, 2, 3))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(B, List.of(0, 1, 2, 3))));
    }

    @Test
    void heterogeneousGroupRebalancesTowardsANewSubscriber() {
        Assignment all = Assignment.of(Map.of(A, List.of(0, 1, 2, 3), B, List.of(0, 1)));
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(A, B), all),
            "m2", member(Set.of(B), Assignment.EMPTY)), Map.of(A, 4, B, 2));

        Map<String, Assignment> result = assignor.assign(spec);

        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(A, List.of(0, 1, 2, 3))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(B, List.of(0, 1))));
    }

    @Test
    void dropsPartitionsOfDeletedTopicsAndShrunkCurrentTargets() {
        Assignment stale = Assignment.of(Map.of(A, List.of(0, 7), B, List.of(0)));
        AssignmentSpec spec = new AssignmentSpec(Map.of("m1", member(Set.of(A, B), stale)), Map.of(A, 2));

        assertThat(assignor.assign(spec).get("m1")).isEqualTo(Assignment.of(Map.of(A, List.of(0, 1))));
    }

    @Test
    void memberWithoutTopicsGetsAnEmptyAssignment() {
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(), Assignment.EMPTY),
            "m2", member(Set.of(A), Assignment.EMPTY)), Map.of(A, 2));

        Map<String, Assignment> result = assignor.assign(spec);

        assertThat(result.get("m1")).isEqualTo(Assignment.EMPTY);
        assertThat(result.get("m2").size()).isEqualTo(2);
    }

    static AssignmentSpec.MemberSpec member(Set<Uuid> topics, Assignment current) {
        return new AssignmentSpec.MemberSpec(topics, current);
    }
}
