package dev.borges.broker.it;

import static dev.borges.broker.it.GroupMember.await;
import static dev.borges.broker.it.GroupMember.consumed;
import static dev.borges.broker.it.GroupMember.splitExactly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.InconsistentGroupProtocolException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kafka-consumer-groups.sh} does for KIP-848 consumer groups, through the Java Admin
 * client (ConsumerGroupDescribe for describing them, ListGroups with types, offsets, lag, reset,
 * delete), and what a client gets when its group id belongs to a group of the other protocol, or
 * when the broker does not enable the consumer protocol.
 */
class ConsumerProtocolAdminIT {
    private static final String TOPIC = "payments";
    private static final int PARTITIONS = 3;

    @TempDir
    Path dataDir;

    private BrokerServer broker;
    private Admin admin;
    private final List<GroupMember> members = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(settings(dataDir, Map.of())));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        produce(30);
    }

    private static Map<String, String> settings(Path dir, Map<String, String> more) {
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
            "log.dirs", dir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0",
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "3",
            "group.consumer.heartbeat.interval.ms", "500",
            "group.consumer.min.heartbeat.interval.ms", "500"));
        settings.putAll(more);
        return settings;
    }

    @AfterEach
    void stop() {
        members.forEach(GroupMember::stop);
        admin.close();
        broker.close();
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    private void produce(int count) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private GroupMember member(String group, String protocol, String clientId) {
        GroupMember member = new GroupMember(bootstrap(), TOPIC, group, Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol,
            ConsumerConfig.CLIENT_ID_CONFIG, clientId));
        members.add(member);
        return member.start();
    }

    private static <T> T get(KafkaFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void describeListOffsetsAndLagOfAnActiveConsumerGroup() throws Exception {
        GroupMember a = member("billing", "consumer", "biller-a");
        GroupMember b = member("billing", "consumer", "biller-b");
        await("both members own partitions", () -> splitExactly(List.of(a, b), PARTITIONS));
        await("every record consumed and committed", () -> consumed(List.of(a, b)).size() >= 30);
        GroupMember classic = member("legacy", "classic", "legacy-1");
        await("the classic group too", () -> classic.assignment().size() == PARTITIONS);

        ConsumerGroupDescription description = get(admin.describeConsumerGroups(List.of("billing"),
            new DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all()).get("billing");
        assertThat(description.type()).isEqualTo(GroupType.CONSUMER);
        assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
        assertThat(description.partitionAssignor()).isEqualTo("uniform");
        assertThat(description.groupEpoch()).hasValueSatisfying(epoch -> assertThat(epoch).isPositive());
        assertThat(description.targetAssignmentEpoch()).isEqualTo(description.groupEpoch());
        assertThat(description.coordinator().port()).isEqualTo(broker.port());
        assertThat(description.authorizedOperations()).contains(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DELETE);
        assertThat(description.members()).extracting(MemberDescription::clientId).containsExactlyInAnyOrder("biller-a", "biller-b");
        assertThat(description.members()).allSatisfy(member -> {
            assertThat(member.host()).isEqualTo("/127.0.0.1");
            assertThat(member.memberEpoch()).isEqualTo(description.groupEpoch());
            assertThat(member.targetAssignment()).contains(member.assignment());
        });
        assertThat(description.members().stream().flatMap(m -> m.assignment().topicPartitions().stream()))
            .as("each partition owned by exactly one member")
            .containsExactlyInAnyOrder(new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));
        assertThat(get(admin.describeConsumerGroups(List.of("legacy")).all()).get("legacy").type())
            .as("a classic group is still described (Admin falls back to DescribeGroups)").isEqualTo(GroupType.CLASSIC);

        Map<String, GroupListing> listed = get(admin.listGroups().all()).stream()
            .collect(Collectors.toMap(GroupListing::groupId, listing -> listing));
        assertThat(listed).containsKeys("billing", "legacy");
        assertThat(listed.get("billing").type()).contains(GroupType.CONSUMER);
        assertThat(listed.get("billing").protocol()).isEqualTo("consumer");
        assertThat(listed.get("billing").groupState()).contains(GroupState.STABLE);
        assertThat(listed.get("legacy").type()).contains(GroupType.CLASSIC);
        assertThat(get(admin.listGroups(new ListGroupsOptions().withTypes(Set.of(GroupType.CONSUMER))).all()))
            .extracting(GroupListing::groupId).containsExactly("billing");

        Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets("billing").partitionsToOffsetAndMetadata());
        assertThat(committed).hasSize(PARTITIONS).allSatisfy((partition, offset) -> assertThat(offset.offset()).isEqualTo(10));

        a.leave();
        b.leave();
        members.removeAll(List.of(a, b));
        produce(6); // two more records per partition that nobody consumes
        Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        var ends = get(admin.listOffsets(latest).all());
        committed = get(admin.listConsumerGroupOffsets("billing").partitionsToOffsetAndMetadata());
        Map<TopicPartition, OffsetAndMetadata> offsets = committed;
        assertThat(committed.keySet()).allSatisfy(partition ->
            assertThat(ends.get(partition).offset() - offsets.get(partition).offset()).as("lag of %s", partition).isEqualTo(2));
        ConsumerGroupDescription empty = get(admin.describeConsumerGroups(List.of("billing")).all()).get("billing");
        assertThat(empty.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(empty.members()).isEmpty();
    }

    @Test
    void offsetsResetWhileTheGroupIsEmptyAndDeleteOnlyOnceEmpty() throws Exception {
        GroupMember first = member("etl", "consumer", "etl-1");
        await("everything consumed", () -> first.values().size() >= 30);
        assertThatThrownBy(() -> get(admin.deleteConsumerGroups(List.of("etl")).all()))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupNotEmptyException.class);
        first.leave();
        members.remove(first);

        // --reset-offsets --to-offset 8 while nobody consumes
        Map<TopicPartition, OffsetAndMetadata> reset = Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(8),
            new TopicPartition(TOPIC, 1), new OffsetAndMetadata(8), new TopicPartition(TOPIC, 2), new OffsetAndMetadata(8));
        get(admin.alterConsumerGroupOffsets("etl", reset).all());
        GroupMember second = member("etl", "consumer", "etl-2");
        await("the records after the reset", () -> second.values().size() >= 6);
        Thread.sleep(500);
        assertThat(second.values()).as("each partition from offset 8").hasSize(6);
        second.leave();
        members.remove(second);

        get(admin.deleteConsumerGroups(List.of("etl")).all());
        assertThat(get(admin.listGroups().all())).extracting(GroupListing::groupId).doesNotContain("etl");
        assertThat(get(admin.listConsumerGroupOffsets("etl").partitionsToOffsetAndMetadata())).isEmpty();
        assertThatThrownBy(() -> get(admin.describeConsumerGroups(List.of("etl")).all()))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void aGroupIdInUseByTheOtherProtocolIsRefused() throws Exception {
        GroupMember modern = member("modern", "consumer", "modern-1");
        await("the consumer group forms", () -> modern.assignment().size() == PARTITIONS);
        GroupMember classicIntruder = member("modern", "classic", "classic-1");
        await("the classic consumer fails", () -> classicIntruder.failure() != null);
        assertThat(classicIntruder.failure()).isInstanceOf(InconsistentGroupProtocolException.class);

        GroupMember classic = member("old-school", "classic", "classic-2");
        await("the classic group forms", () -> classic.assignment().size() == PARTITIONS);
        GroupMember modernIntruder = member("old-school", "consumer", "modern-2");
        await("the consumer-protocol consumer fails", () -> modernIntruder.failure() != null);
        assertThat(modernIntruder.failure()).isInstanceOf(GroupIdNotFoundException.class);
        assertThat(modern.assignment()).hasSize(PARTITIONS);
        assertThat(classic.assignment()).hasSize(PARTITIONS);
    }

    @Test
    void anEmptyClassicGroupCarriesOnWithTheConsumerProtocolFromItsOffsets() throws Exception {
        GroupMember classic = member("switching", "classic", "old");
        await("the classic run consumes everything", () -> classic.values().size() >= 30);
        classic.leave();
        members.remove(classic);
        produce(30);
        GroupMember modern = member("switching", "consumer", "new");
        await("the new run consumes the new records", () -> modern.values().size() >= 30);
        Thread.sleep(500);
        assertThat(modern.values()).as("resumed from the classic group's offsets").hasSize(30);
        assertThat(get(admin.describeConsumerGroups(List.of("switching")).all()).get("switching").type()).isEqualTo(GroupType.CONSUMER);
    }

    @Test
    void aBrokerWithoutTheConsumerProtocolDoesNotAdvertiseIt(@TempDir Path otherDir) throws Exception {
        try (BrokerServer classicOnly = BrokerServer.start(BrokerConfig.of(settings(otherDir,
                Map.of("group.coordinator.rebalance.protocols", "classic"))))) {
            try (Admin other = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + classicOnly.port()))) {
                get(other.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all());
            }
            GroupMember refused = new GroupMember("127.0.0.1:" + classicOnly.port(), TOPIC, "g",
                Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer"));
            members.add(refused);
            refused.start();
            await("the consumer-protocol consumer fails", () -> refused.failure() != null);
            assertThat(refused.failure()).isInstanceOf(UnsupportedVersionException.class);
            refused.stop();
        }
    }
}
