package dev.borges.broker.it;

import static dev.borges.broker.it.GroupMember.await;
import static dev.borges.broker.it.GroupMember.consumed;
import static dev.borges.broker.it.GroupTestBroker.PARTITIONS;
import static dev.borges.broker.it.GroupTestBroker.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a consumer group does whichever protocol its members speak, checked once per protocol by a
 * subclass ({@link ConsumerGroupIT}: classic, {@link ConsumerProtocolGroupIT}: KIP-848, each with
 * a 6 s session timeout): a member that leaves or dies hands its partitions to the others; a group
 * that stops and starts again resumes from its committed offsets; groups and offsets survive
 * restarts of the broker, mid-run and between runs. Each test gets a fresh broker.
 */
abstract class ConsumerGroupScenarios {
    @TempDir
    Path dataDir;

    GroupTestBroker broker;

    /** The broker with the protocol's settings, whose members speak that protocol. */
    abstract GroupTestBroker startBroker(Path dataDir) throws Exception;

    /** Whether {@code group} shares the topic's {@code partitions} as the protocol's assignment does once settled. */
    abstract boolean split(List<GroupMember> group, int partitions);

    @BeforeEach
    void start() throws Exception {
        broker = startBroker(dataDir);
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void partitionsOfAMemberThatLeavesOrDiesMoveToTheOthers() throws Exception {
        GroupMember a = broker.member("billing");
        GroupMember b = broker.member("billing");
        GroupMember c = broker.member("billing");
        await("three owners", () -> split(List.of(a, b, c), PARTITIONS));

        broker.leave(c);
        await("two owners after a member left", () -> split(List.of(a, b), PARTITIONS));

        long died = System.nanoTime();
        broker.crash(b); // it does not leave: the coordinator notices when its session (6 s) times out
        await("one owner after a member died", () -> a.assignment().size() == PARTITIONS);
        assertThat(Duration.ofNanos(System.nanoTime() - died)).as("moved within the session timeout plus a rebalance")
            .isLessThan(Duration.ofSeconds(20));

        broker.produce(0, 60);
        await("the survivor consumes", () -> a.values().size() >= 60);
        assertThat(a.values()).containsExactlyInAnyOrderElementsOf(values(0, 60));
    }

    @Test
    void aGroupThatRestartsResumesFromItsCommittedOffsets() throws Exception {
        broker.produce(0, 300);
        List<GroupMember> first = List.of(broker.member("billing"), broker.member("billing"));
        await("the first run consumes everything", () -> consumed(first).size() >= 300);
        for (GroupMember member : first) {
            broker.leave(member);
        }

        broker.produce(300, 300);
        List<GroupMember> second = List.of(broker.member("billing"), broker.member("billing"), broker.member("billing"));
        await("the second run consumes the new records", () -> consumed(second).size() >= 300);
        Thread.sleep(500);
        assertThat(consumed(second)).as("nothing consumed twice, nothing lost")
            .containsExactlyInAnyOrderElementsOf(values(300, 300));
    }

    @Test
    void groupsAndOffsetsSurviveABrokerRestartMidRun() throws Exception {
        List<GroupMember> group = List.of(broker.member("billing"), broker.member("billing"));
        await("two members", () -> split(group, PARTITIONS));
        broker.produce(0, 300);
        await("the first half", () -> consumed(group).size() >= 300);

        broker.restart();
        broker.produce(300, 300);
        await("the second half", () -> new HashSet<>(consumed(group)).containsAll(values(300, 300)));
        assertThat(new HashSet<>(consumed(group))).as("nothing lost").containsAll(values(0, 600));
        await("the same two members split the topic again", () -> split(group, PARTITIONS));

        for (GroupMember member : group) {
            broker.leave(member);
        }
        assertThat(broker.committedOffsets("billing")).hasSize(PARTITIONS)
            .allSatisfy((partition, offset) -> assertThat(offset).isEqualTo(100L));
        broker.restart();
        broker.produce(600, 60);
        GroupMember resumed = broker.member("billing");
        await("the records after the restart", () -> resumed.values().size() >= 60);
        Thread.sleep(500);
        assertThat(resumed.values()).as("offsets committed before the restart hold after it")
            .containsExactlyInAnyOrderElementsOf(values(600, 60));
    }
}
