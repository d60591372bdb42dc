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
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KIP-848 consumer groups with the Java client (kafka-clients 4.4, {@code group.protocol=consumer})
 * against a real broker: the coordinator computes the assignment (server-side assignors
 * {@code uniform} and {@code range}); members split a topic's partitions, each partition owned by
 * exactly one member; partitions move when a member leaves or dies; committed offsets survive a
 * restart of the group and of the broker; a static member that restarts keeps its partitions; new
 * partitions of the topic get assigned. The broker's session timeout is 6 s and members heartbeat
 * every 500 ms, so failures show within seconds.
 */
class ConsumerProtocolGroupIT {
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
            "offsets.topic.num.partitions", "5",
            "group.consumer.session.timeout.ms", "6000",
            "group.consumer.min.session.timeout.ms", "6000",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.heartbeat.interval.ms", "500"));
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

    private void produce(int from, int count, int partitions) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % partitions, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private void produce(int from, int count) throws Exception {
        produce(from, count, PARTITIONS);
    }

    private static List<String> values(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "v" + i).toList();
    }

    private GroupMember member(String group, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>(Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));
        config.putAll(overrides);
        GroupMember member = new GroupMember(bootstrap(), TOPIC, group, config);
        members.add(member);
        return member.start();
    }

    private GroupMember member(String group) {
        return member(group, Map.of());
    }

    private static boolean evenly(List<GroupMember> group, int partitions) {
        return splitExactly(group, partitions) && group.stream().allMatch(m -> m.assignment().size() == partitions / group.size());
    }

    @Test
    void threeConsumersSplitSixPartitionsAndConsumeEveryRecordExactlyOnce() throws Exception {
        produce(0, 600);
        List<GroupMember> group = List.of(member("billing"), member("billing"), member("billing"));
        await("an even split", () -> evenly(group, PARTITIONS));
        await("every record", () -> consumed(group).size() >= 600);
        Thread.sleep(500); // anything consumed twice would show up now
        assertThat(consumed(group)).hasSize(600).containsExactlyInAnyOrderElementsOf(values(0, 600));
        for (GroupMember member : group) {
            for (TopicPartition partition : member.assignment()) {
                assertThat(member.valuesOf(partition)).as("per-partition order").isSortedAccordingTo(
                    (a, b) -> Integer.compare(Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1))));
            }
        }
        try (Admin admin = admin()) {
            var description = admin.describeConsumerGroups(List.of("billing")).all().get(30, TimeUnit.SECONDS).get("billing");
            assertThat(description.type()).isEqualTo(org.apache.kafka.common.GroupType.CONSUMER);
            assertThat(description.partitionAssignor()).as("the coordinator's default assignor").isEqualTo("uniform");
        }
    }

    @Test
    void partitionsOfAMemberThatLeavesOrDiesMoveToTheOthers() throws Exception {
        GroupMember a = member("billing");
        GroupMember b = member("billing");
        GroupMember c = member("billing");
        await("three owners", () -> evenly(List.of(a, b, c), PARTITIONS));

        c.leave();
        members.remove(c);
        await("two owners after a member left", () -> evenly(List.of(a, b), PARTITIONS));

        long died = System.nanoTime();
        b.crash(); // no leave heartbeat: the coordinator notices when its session (6 s) times out
        members.remove(b);
        await("one owner after a member died", () -> a.assignment().size() == PARTITIONS);
        assertThat(Duration.ofNanos(System.nanoTime() - died)).as("moved within the session timeout plus a heartbeat")
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
        await("two members", () -> evenly(group, PARTITIONS));
        produce(0, 300);
        await("the first half", () -> consumed(group).size() >= 300);

        broker.close();
        broker = BrokerServer.start(BrokerConfig.of(settings));
        produce(300, 300);
        await("the second half", () -> new HashSet<>(consumed(group)).containsAll(values(300, 300)));
        assertThat(new HashSet<>(consumed(group))).as("nothing lost").containsAll(values(0, 600));
        await("the same two members split the topic again", () -> evenly(group, PARTITIONS));

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
    @ValueSource(strings = {"range", "uniform"})
    void eachServerSideAssignorSplitsTheTopic(String assignor) throws Exception {
        Map<String, String> config = Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
        String groupId = "assign-" + assignor;
        produce(0, 120);
        GroupMember a = member(groupId, config);
        GroupMember b = member(groupId, config);
        await("two members split the topic", () -> evenly(List.of(a, b), PARTITIONS));
        GroupMember c = member(groupId, config);
        await("three members split the topic", () -> evenly(List.of(a, b, c), PARTITIONS));
        produce(120, 120);
        await("every record", () -> new HashSet<>(consumed(List.of(a, b, c))).containsAll(values(0, 240)));
        try (Admin admin = admin()) {
            var description = admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId);
            assertThat(description.partitionAssignor()).isEqualTo(assignor);
        }
    }

    @Test
    void aStaticMemberThatRestartsKeepsItsPartitionsWithoutMovingOthers() throws Exception {
        GroupMember a = member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a"));
        GroupMember b = member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b"));
        await("two static members", () -> evenly(List.of(a, b), PARTITIONS));
        Set<TopicPartition> before = Set.copyOf(b.assignment());
        int revocationsOfA = a.revocations();

        b.leave(); // a static member leaves for now (epoch -2): its partitions wait for it
        members.remove(b);
        GroupMember restarted = member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b"));
        await("the restarted member's partitions", () -> !restarted.assignment().isEmpty());
        assertThat(restarted.assignment()).isEqualTo(before);
        Thread.sleep(1000);
        assertThat(a.revocations()).as("the other member gave nothing up").isEqualTo(revocationsOfA);
        assertThat(a.assignment()).hasSize(PARTITIONS / 2);
        produce(0, 60);
        await("both consume", () -> consumed(List.of(a, restarted)).size() >= 60);
    }

    @Test
    void partitionsAddedToTheTopicAreAssigned() throws Exception {
        List<GroupMember> group = List.of(member("billing"), member("billing"));
        await("two members", () -> evenly(group, PARTITIONS));
        try (Admin admin = admin()) {
            admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(8))).all().get(30, TimeUnit.SECONDS);
        }
        await("eight partitions split", () -> evenly(group, 8));
        produce(0, 80, 8);
        await("records of the new partitions", () -> new HashSet<>(consumed(group)).containsAll(values(0, 80)));
    }

    @Test
    void aBrokerSideRegexSubscriptionGetsTheMatchingTopics() throws Exception {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic("order-returns", 2, (short) 1), new NewTopic("invoices", 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "by-pattern");
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(new SubscriptionPattern("order.*")); // evaluated by the coordinator (KIP-848)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (consumer.assignment().size() < PARTITIONS + 2 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100));
            }
            assertThat(consumer.assignment().stream().map(TopicPartition::topic).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder(TOPIC, "order-returns");
            assertThat(consumer.assignment()).hasSize(PARTITIONS + 2);
        }
    }
}
