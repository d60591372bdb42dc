package dev.borges.broker.it;

import static dev.borges.broker.it.GroupMember.assertEachPartitionInOrder;
import static dev.borges.broker.it.GroupMember.await;
import static dev.borges.broker.it.GroupMember.consumed;
import static dev.borges.broker.it.GroupMember.splitExactly;
import static dev.borges.broker.it.GroupTestBroker.PARTITIONS;
import static dev.borges.broker.it.GroupTestBroker.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups with the Java client (kafka-clients 4.4, classic protocol) against a real broker:
 * members split a topic's partitions and consume every record exactly once, every assignor works,
 * and a static member that restarts within its session timeout keeps its partitions without a
 * rebalance; and what {@link ConsumerGroupScenarios} checks for both protocols (partitions move when
 * a member leaves or dies, committed offsets survive a restart of the group and of the broker).
 */
class ConsumerGroupIT extends ConsumerGroupScenarios {

    @Override
    GroupTestBroker startBroker(Path dataDir) throws Exception {
        return GroupTestBroker.start(dataDir, Map.of("group.initial.rebalance.delay.ms", "0"),
            Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000", ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500"));
    }

    /** Any split: a client-side assignor decides how many partitions each member gets. */
    @Override
    boolean split(List<GroupMember> group, int partitions) {
        return splitExactly(group, partitions);
    }

    @Test
    void threeConsumersSplitTheTopicAndConsumeEveryRecordExactlyOnce() throws Exception {
        broker.produce(0, 600);
        List<GroupMember> group = List.of(broker.member("billing"), broker.member("billing"), broker.member("billing"));
        await("an even split", () -> splitExactly(group, PARTITIONS)
            && group.stream().allMatch(m -> m.assignment().size() == 2));
        await("every record", () -> consumed(group).size() >= 600);
        Thread.sleep(500); // anything consumed twice would show up now
        assertThat(consumed(group)).hasSize(600).containsExactlyInAnyOrderElementsOf(values(0, 600));
        assertEachPartitionInOrder(group);
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin", "sticky", "cooperative-sticky"})
    void everyAssignorSplitsTheTopic(String assignor) throws Exception {
        String strategy = switch (assignor) {
            case "range" -> "org.apache.kafka.clients.consumer.RangeAssignor";
            case "roundrobin" -> "org.apache.kafka.clients.consumer.RoundRobinAssignor";
            case "sticky" -> "org.apache.kafka.clients.consumer.StickyAssignor";
            default -> "org.apache.kafka.clients.consumer.CooperativeStickyAssignor";
        };
        Map<String, String> config = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, strategy);
        broker.produce(0, 120);
        GroupMember a = broker.member("assign-" + assignor, config);
        GroupMember b = broker.member("assign-" + assignor, config);
        await("two members split the topic", () -> splitExactly(List.of(a, b), PARTITIONS));
        GroupMember c = broker.member("assign-" + assignor, config);
        // Cooperative rebalancing takes two rounds (revoke, then assign); the coordinator just sees two rebalances.
        await("three members split the topic", () -> splitExactly(List.of(a, b, c), PARTITIONS)
            && List.of(a, b, c).stream().allMatch(m -> m.assignment().size() == 2));
        broker.produce(120, 120);
        await("every record", () -> new HashSet<>(consumed(List.of(a, b, c))).containsAll(values(0, 240)));
        try (Admin admin = broker.admin()) {
            var description = admin.describeConsumerGroups(List.of("assign-" + assignor)).all().get(30, TimeUnit.SECONDS)
                .get("assign-" + assignor);
            assertThat(description.partitionAssignor()).isEqualTo(assignor);
        }
    }

    @Test
    void aStaticMemberRestartingWithinItsSessionTimeoutKeepsItsPartitionsWithoutARebalance() throws Exception {
        GroupMember a = broker.member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"));
        GroupMember b = broker.member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"));
        await("two static members", () -> splitExactly(List.of(a, b), PARTITIONS));
        Set<TopicPartition> before = Set.copyOf(b.assignment());
        int rebalancesOfA = a.revocations();

        broker.crash(b); // static members do not leave the group when they close
        GroupMember restarted = broker.member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"));
        await("the restarted member's partitions", () -> !restarted.assignment().isEmpty());
        assertThat(restarted.assignment()).isEqualTo(before);
        Thread.sleep(1000);
        assertThat(a.revocations()).as("the other member saw no rebalance").isEqualTo(rebalancesOfA);
        broker.produce(0, 60);
        await("both consume", () -> consumed(List.of(a, restarted)).size() >= 60);
    }
}
