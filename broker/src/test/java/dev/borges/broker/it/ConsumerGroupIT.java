package dev.borges.broker.it;

import static dev.borges.broker.it.GroupMember.await;
import static dev.borges.broker.it.GroupMember.consumed;
import static dev.borges.broker.it.GroupMember.splitExactly;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Consumer groups with the Java client (kafka-clients 4.4, classic protocol) against a real broker:
 * members split a topic's partitions, partitions move when a member leaves or dies, committed
 * offsets survive a restart of the group and of the broker, every assignor works, and a static
 * member that restarts within its session timeout keeps its partitions without a rebalance.
 */
class ConsumerGroupIT {
    private static final String TOPIC = "orders";
    private static final int PARTITIONS = 6;

    @TempDir
    Path dataDir;

    private Map<String, String> settings;
    private BrokerServer broker;
    private final List<GroupMember> members = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        settings = new LinkedHashMap<>(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0",
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "5"));
        broker = BrokerServer.start(BrokerConfig.of(settings));
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + broker.port()); // a restart keeps the port
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        for (GroupMember member : members) {
            member.stop();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    private void produce(int from, int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static List<String> values(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "v" + i).toList();
    }

    private GroupMember member(String group, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "6000",
            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500"));
        config.putAll(overrides);
        GroupMember member = new GroupMember(bootstrap(), TOPIC, group, config);
        members.add(member);
        return member.start();
    }

    private GroupMember member(String group) {
        return member(group, Map.of());
    }

    @Test
    void threeConsumersSplitTheTopicAndConsumeEveryRecordExactlyOnce() throws Exception {
        produce(0, 600);
        List<GroupMember> group = List.of(member("billing"), member("billing"), member("billing"));
        await("an even split", () -> splitExactly(group, PARTITIONS)
            && group.stream().allMatch(m -> m.assignment().size() == 2));
        await("every record", () -> consumed(group).size() >= 600);
        Thread.sleep(500); // anything consumed twice would show up now
        assertThat(consumed(group)).hasSize(600).containsExactlyInAnyOrderElementsOf(values(0, 600));
        for (GroupMember member : group) {
            for (TopicPartition partition : member.assignment()) {
                assertThat(member.valuesOf(partition)).as("per-partition order").isSortedAccordingTo(
                    (a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
            }
        }
    }

    @Test
    void partitionsOfAMemberThatLeavesOrDiesMoveToTheOthers() throws Exception {
        GroupMember a = member("billing");
        GroupMember b = member("billing");
        GroupMember c = member("billing");
        await("three owners", () -> splitExactly(List.of(a, b, c), PARTITIONS));

        c.leave();
        members.remove(c);
        await("two owners after a member left", () -> splitExactly(List.of(a, b), PARTITIONS));

        long died = System.nanoTime();
        b.crash(); // no LeaveGroup: the coordinator notices when its session (6 s) times out
        members.remove(b);
        await("one owner after a member died", () -> a.assignment().size() == PARTITIONS);
        assertThat(Duration.ofNanos(System.nanoTime() - died)).as("moved within the session timeout plus a rebalance")
            .isLessThan(Duration.ofSeconds(20));

        produce(0, 60);
        await("the survivor consumes", () -> a.values().size() >= 60);
        assertThat(a.values()).containsExactlyInAnyOrderElementsOf(values(0, 60));
    }

    @Test
    void aGroupThatRestartsResumesFromItsCommittedOffsets() throws Exception {
        produce(0, 300);
        List<GroupMember> first = List.of(member("billing"), member("billing"));
        await("the first run consumes everything", () -> consumed(first).size() >= 300);
        for (GroupMember member : first) {
            member.leave();
        }
        members.clear();

        produce(300, 300);
        List<GroupMember> second = List.of(member("billing"), member("billing"), member("billing"));
        await("the second run consumes the new records", () -> consumed(second).size() >= 300);
        Thread.sleep(500);
        assertThat(consumed(second)).as("nothing consumed twice, nothing lost")
            .containsExactlyInAnyOrderElementsOf(values(300, 300));
    }

    @Test
    void groupsAndOffsetsSurviveABrokerRestartMidRun() throws Exception {
        List<GroupMember> group = List.of(member("billing"), member("billing"));
        await("two members", () -> splitExactly(group, PARTITIONS));
        produce(0, 300);
        await("the first half", () -> consumed(group).size() >= 300);

        broker.close();
        broker = BrokerServer.start(BrokerConfig.of(settings));
        produce(300, 300);
        await("the second half", () -> new HashSet<>(consumed(group)).containsAll(values(300, 300)));
        assertThat(new HashSet<>(consumed(group))).as("nothing lost").containsAll(values(0, 600));

        for (GroupMember member : group) {
            member.leave();
        }
        members.clear();
        try (Admin admin = admin()) {
            Map<TopicPartition, Long> committed = admin.listConsumerGroupOffsets("billing").partitionsToOffsetAndMetadata()
                .get(30, TimeUnit.SECONDS).entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
            assertThat(committed).hasSize(PARTITIONS).allSatisfy((partition, offset) -> assertThat(offset).isEqualTo(100L));
        }
        broker.close();
        broker = BrokerServer.start(BrokerConfig.of(settings));
        produce(600, 60);
        GroupMember resumed = member("billing");
        await("the records after the restart", () -> resumed.values().size() >= 60);
        Thread.sleep(500);
        assertThat(resumed.values()).as("offsets committed before the restart hold after it")
            .containsExactlyInAnyOrderElementsOf(values(600, 60));
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
        produce(0, 120);
        GroupMember a = member("assign-" + assignor, config);
        GroupMember b = member("assign-" + assignor, config);
        await("two members split the topic", () -> splitExactly(List.of(a, b), PARTITIONS));
        GroupMember c = member("assign-" + assignor, config);
        // Cooperative rebalancing takes two rounds (revoke, then assign); the coordinator just sees two rebalances.
        await("three members split the topic", () -> splitExactly(List.of(a, b, c), PARTITIONS)
            && List.of(a, b, c).stream().allMatch(m -> m.assignment().size() == 2));
        produce(120, 120);
        await("every record", () -> new HashSet<>(consumed(List.of(a, b, c))).containsAll(values(0, 240)));
        try (Admin admin = admin()) {
            var description = admin.describeConsumerGroups(List.of("assign-" + assignor)).all().get(30, TimeUnit.SECONDS)
                .get("assign-" + assignor);
            assertThat(description.partitionAssignor()).isEqualTo(assignor);
        }
    }

    @Test
    void aStaticMemberRestartingWithinItsSessionTimeoutKeepsItsPartitionsWithoutARebalance() throws Exception {
        GroupMember a = member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"));
        GroupMember b = member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"));
        await("two static members", () -> splitExactly(List.of(a, b), PARTITIONS));
        Set<TopicPartition> before = Set.copyOf(b.assignment());
        int rebalancesOfA = a.revocations();

        b.crash(); // static members do not leave the group when they close
        members.remove(b);
        GroupMember restarted = member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b",
            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000"));
        await("the restarted member's partitions", () -> !restarted.assignment().isEmpty());
        assertThat(restarted.assignment()).isEqualTo(before);
        Thread.sleep(1000);
        assertThat(a.revocations()).as("the other member saw no rebalance").isEqualTo(rebalancesOfA);
        produce(0, 60);
        await("both consume", () -> consumed(List.of(a, restarted)).size() >= 60);
    }
}
