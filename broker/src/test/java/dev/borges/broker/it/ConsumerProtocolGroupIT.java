package dev.borges.broker.it;

import static dev.borges.broker.it.GroupMember.assertEachPartitionInOrder;
import static dev.borges.broker.it.GroupMember.await;
import static dev.borges.broker.it.GroupMember.consumed;
import static dev.borges.broker.it.GroupMember.splitExactly;
import static dev.borges.broker.it.GroupTestBroker.PARTITIONS;
import static dev.borges.broker.it.GroupTestBroker.TOPIC;
import static dev.borges.broker.it.GroupTestBroker.values;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.SubscriptionPattern;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * KIP-848 consumer groups with the Java client (kafka-clients 4.4, {@code group.protocol=consumer})
 * against a real broker: the coordinator computes the assignment (server-side assignors
 * {@code uniform} and {@code range}); members split a topic's partitions, each partition owned by
 * exactly one member; a static member that restarts keeps its partitions; new partitions of the
 * topic get assigned; and what {@link ConsumerGroupScenarios} checks for both protocols (partitions
 * move when a member leaves or dies, committed offsets survive a restart of the group and of the
 * broker). The broker's session timeout is 6 s and members heartbeat every 500 ms, so failures show
 * within seconds.
 */
class ConsumerProtocolGroupIT extends ConsumerGroupScenarios {

    @Override
    GroupTestBroker startBroker(Path dataDir) throws Exception {
        return GroupTestBroker.start(dataDir, Map.of(
                "group.consumer.session.timeout.ms", "6000",
                "group.consumer.min.session.timeout.ms", "6000",
                "group.consumer.heartbeat.interval.ms", "500",
                "group.consumer.min.heartbeat.interval.ms", "500"),
            Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));
    }

    /** An even split: the server-side assignors give each member the same number of partitions here. */
    @Override
    boolean split(List<GroupMember> group, int partitions) {
        return evenly(group, partitions);
    }

    private static boolean evenly(List<GroupMember> group, int partitions) {
        return splitExactly(group, partitions) && group.stream().allMatch(m -> m.assignment().size() == partitions / group.size());
    }

    @Test
    void threeConsumersSplitSixPartitionsAndConsumeEveryRecordExactlyOnce() throws Exception {
        broker.produce(0, 600);
        List<GroupMember> group = List.of(broker.member("billing"), broker.member("billing"), broker.member("billing"));
        await("an even split", () -> evenly(group, PARTITIONS));
        await("every record", () -> consumed(group).size() >= 600);
        Thread.sleep(500); // anything consumed twice would show up now
        assertThat(consumed(group)).hasSize(600).containsExactlyInAnyOrderElementsOf(values(0, 600));
        assertEachPartitionInOrder(group);
        try (Admin admin = broker.admin()) {
            var description = admin.describeConsumerGroups(List.of("billing")).all().get(30, TimeUnit.SECONDS).get("billing");
            assertThat(description.type()).isEqualTo(org.apache.kafka.common.GroupType.CONSUMER);
            assertThat(description.partitionAssignor()).as("the coordinator's default assignor").isEqualTo("uniform");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "uniform"})
    void eachServerSideAssignorSplitsTheTopic(String assignor) throws Exception {
        Map<String, String> config = Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
        String groupId = "assign-" + assignor;
        broker.produce(0, 120);
        GroupMember a = broker.member(groupId, config);
        GroupMember b = broker.member(groupId, config);
        await("two members split the topic", () -> evenly(List.of(a, b), PARTITIONS));
        GroupMember c = broker.member(groupId, config);
        await("three members split the topic", () -> evenly(List.of(a, b, c), PARTITIONS));
        broker.produce(120, 120);
        await("every record", () -> new HashSet<>(consumed(List.of(a, b, c))).containsAll(values(0, 240)));
        try (Admin admin = broker.admin()) {
            var description = admin.describeConsumerGroups(List.of(groupId)).all().get(30, TimeUnit.SECONDS).get(groupId);
            assertThat(description.partitionAssignor()).isEqualTo(assignor);
        }
    }

    @Test
    void aStaticMemberThatRestartsKeepsItsPartitionsWithoutMovingOthers() throws Exception {
        GroupMember a = broker.member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-a"));
        GroupMember b = broker.member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b"));
        await("two static members", () -> evenly(List.of(a, b), PARTITIONS));
        Set<TopicPartition> before = Set.copyOf(b.assignment());
        int revocationsOfA = a.revocations();

        broker.leave(b); // a static member leaves for now (epoch -2): its partitions wait for it
        GroupMember restarted = broker.member("static", Map.of(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "instance-b"));
        await("the restarted member's partitions", () -> !restarted.assignment().isEmpty());
        assertThat(restarted.assignment()).isEqualTo(before);
        Thread.sleep(1000);
        assertThat(a.revocations()).as("the other member gave nothing up").isEqualTo(revocationsOfA);
        assertThat(a.assignment()).hasSize(PARTITIONS / 2);
        broker.produce(0, 60);
        await("both consume", () -> consumed(List.of(a, restarted)).size() >= 60);
    }

    @Test
    void partitionsAddedToTheTopicAreAssigned() throws Exception {
        List<GroupMember> group = List.of(broker.member("billing"), broker.member("billing"));
        await("two members", () -> evenly(group, PARTITIONS));
        try (Admin admin = broker.admin()) {
            admin.createPartitions(Map.of(TOPIC, NewPartitions.increaseTo(8))).all().get(30, TimeUnit.SECONDS);
        }
        await("eight partitions split", () -> evenly(group, 8));
        broker.produce(0, 80, 8);
        await("records of the new partitions", () -> new HashSet<>(consumed(group)).containsAll(values(0, 80)));
    }

    @Test
    void aBrokerSideRegexSubscriptionGetsTheMatchingTopics() throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic("order-returns", 2, (short) 1), new NewTopic("invoices", 1, (short) 1)))
                .all().get(30, TimeUnit.SECONDS);
        }
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
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
