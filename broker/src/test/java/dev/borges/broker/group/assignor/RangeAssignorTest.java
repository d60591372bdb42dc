package dev.borges.broker.group.assignor;

import static dev.borges.broker.group.assignor.UniformAssignorTest.member;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RangeAssignorTest {
    private static final Uuid ORDERS = new Uuid(0, 1);
    private static final Uuid PAYMENTS = new Uuid(0, 2);
    private final RangeAssignor assignor = new RangeAssignor();

    @Test
    void coPartitionedTopicsGiveEachMemberTheSamePartitionNumbers() {
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(ORDERS, PAYMENTS), Assignment.EMPTY),
            "m2", member(Set.of(ORDERS, PAYMENTS), Assignment.EMPTY)), Map.of(ORDERS, 3, PAYMENTS, 3));

        Map<String, Assignment> result = assignor.assign(spec);

        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(0, 1), PAYMENTS, List.of(0, 1))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(2), PAYMENTS, List.of(2))));
    }

    @Test
    void eachTopicIsSharedOnlyAmongItsSubscribers() {
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(ORDERS), Assignment.EMPTY),
            "m2", member(Set.of(ORDERS, PAYMENTS), Assignment.EMPTY)), Map.of(ORDERS, 2, PAYMENTS, 2));

        Map<String, Assignment> result = assignor.assign(spec);

        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(0))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(1), PAYMENTS, List.of(0, 1))));
    }

    @Test
    void keepsRangesAcrossAJoinWhereQuotasAllow() {
        AssignmentSpec spec = new AssignmentSpec(Map.of(
            "m1", member(Set.of(ORDERS), Assignment.of(Map.of(ORDERS, List.of(0, 1, 2)))),
            "m2", member(Set.of(ORDERS), Assignment.of(Map.of(ORDERS, List.of(3, 4, 5)))),
            "m3", member(Set.of(ORDERS), Assignment.EMPTY)), Map.of(ORDERS, 6));

        Map<String, Assignment> result = assignor.assign(spec);

        assertThat(result.get("m1")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(0, 1))));
        assertThat(result.get("m2")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(3, 4))));
        assertThat(result.get("m3")).isEqualTo(Assignment.of(Map.of(ORDERS, List.of(2, 5))));
    }
}
