package dev.borges.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** When a group's rebalance counts as over: the members own every partition once, each newly assigned. */
class GroupAssignmentsTest {

    private static final Duration NO_WAIT = Duration.ofMillis(1);

    @Test
    void reportsTheLastAssignmentOnceTheMembersOwnEveryPartitionOnce() throws Exception {
        GroupAssignments assignments = new GroupAssignments();
        long since = System.nanoTime();
        assignments.assigned("a", List.of(tp(0), tp(1)));
        assignments.assigned("b", List.of(tp(2)));
        long before = System.nanoTime();
        assignments.assigned("c", List.of(tp(3)));

        long done = assignments.awaitCovering(Set.of("a", "b", "c"), 4, since, NO_WAIT);

        assertThat(done).isBetween(before, System.nanoTime());
    }

    @Test
    void isNotOverWhileAMemberKeepsAnAssignmentFromBefore() {
        GroupAssignments assignments = new GroupAssignments();
        assignments.assigned("a", List.of(tp(0), tp(1)));
        long since = System.nanoTime();
        assignments.assigned("b", List.of(tp(2), tp(3)));

        assertThatThrownBy(() -> assignments.awaitCovering(Set.of("a", "b"), 4, since, NO_WAIT)).isInstanceOf(TimeoutException.class);
    }

    @Test
    void isNotOverWhileAPartitionIsOwnedTwiceOrByAnotherMember() throws Exception {
        GroupAssignments assignments = new GroupAssignments();
        long since = System.nanoTime();
        assignments.assigned("a", List.of(tp(0), tp(1)));
        assignments.assigned("b", List.of(tp(1), tp(2)));
        assignments.assigned("old", List.of(tp(3)));

        assertThatThrownBy(() -> assignments.awaitCovering(Set.of("a", "b"), 3, since, NO_WAIT)).isInstanceOf(TimeoutException.class);

        assignments.revoked("b", List.of(tp(1), tp(2)));
        assignments.assigned("b", List.of(tp(2)));
        assertThatThrownBy(() -> assignments.awaitCovering(Set.of("a", "b"), 3, since, NO_WAIT)).isInstanceOf(TimeoutException.class);

        assignments.left("old");
        assertThat(assignments.awaitCovering(Set.of("a", "b"), 3, since, NO_WAIT)).isNotNull();
    }

    @Test
    void knowsWhenTheLastMemberStartedRejoining() {
        GroupAssignments assignments = new GroupAssignments();
        assignments.assigned("a", List.of(tp(0)));
        assignments.assigned("b", List.of(tp(1)));
        assignments.revoked("a", List.of(tp(0)));

        assertThat(assignments.lastRevoked(Set.of("a", "b"))).isNull();

        long before = System.nanoTime();
        assignments.revoked("b", List.of(tp(1)));
        assertThat(assignments.lastRevoked(Set.of("a", "b"))).isBetween(before, System.nanoTime());
    }

    private static TopicPartition tp(int partition) {
        return new TopicPartition("t", partition);
    }
}
