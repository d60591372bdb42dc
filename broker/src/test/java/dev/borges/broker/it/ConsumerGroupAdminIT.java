package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.GroupSubscribedToTopicException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code kafka-consumer-groups.sh} does, through the Java Admin client (the same calls the tool
 * makes): list groups, describe members and their assignments, read committed offsets and compute
 * lag (log end offset minus committed offset), reset and delete offsets, delete groups.
 */
class ConsumerGroupAdminIT {
    private static final String TOPIC = "payments";

    @TempDir
    Path dataDir;

    private BrokerServer broker;
    private Admin admin;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0",
            "group.initial.rebalance.delay.ms", "0",
            "offsets.topic.num.partitions", "3")));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
        admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 30; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % 3, "k" + i, "v" + i));
            }
        }
    }

    @AfterEach
    void stop() {
        admin.close();
        broker.close();
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    private KafkaConsumer<String, String> consumer(String group, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    /** Polls until the consumer owns partitions and has consumed some records, then commits. */
    private static void consumeSomeAndCommit(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int consumed = 0;
        while (consumed == 0 && System.nanoTime() < deadline) {
            consumed += consumer.poll(Duration.ofMillis(200)).count();
        }
        assertThat(consumed).isPositive();
        consumer.commitSync();
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    @Test
    void listDescribeOffsetsAndLagOfAnActiveGroup() throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer("reporting", "reporter-1")) {
            consumer.subscribe(List.of(TOPIC));
            consumeSomeAndCommit(consumer);
            try (KafkaConsumer<String, String> standalone = consumer("by-hand", "by-hand-1")) {
                standalone.assign(List.of(new TopicPartition(TOPIC, 0)));
                standalone.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(4, "checkpoint")));
            }

            Map<String, GroupListing> listed = get(admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()).stream()
                .collect(Collectors.toMap(GroupListing::groupId, g -> g));
            assertThat(listed).containsOnlyKeys("reporting", "by-hand");
            assertThat(listed.get("reporting").groupState()).contains(GroupState.STABLE);
            assertThat(listed.get("reporting").type()).contains(GroupType.CLASSIC);
            assertThat(listed.get("reporting").protocol()).isEqualTo("consumer");
            assertThat(listed.get("by-hand").groupState()).contains(GroupState.EMPTY);
            assertThat(listed.get("by-hand").isSimpleConsumerGroup()).isTrue();
            assertThat(get(admin.listGroups(new ListGroupsOptions().inGroupStates(Set.of(GroupState.EMPTY))).all()))
                .extracting(GroupListing::groupId).containsExactly("by-hand");

            ConsumerGroupDescription description = get(admin.describeConsumerGroups(List.of("reporting")).all()).get("reporting");
            assertThat(description.groupState()).isEqualTo(GroupState.STABLE);
            assertThat(description.type()).isEqualTo(GroupType.CLASSIC);
            assertThat(description.partitionAssignor()).isEqualTo("range");
            assertThat(description.coordinator().port()).isEqualTo(broker.port());
            assertThat(description.members()).singleElement().satisfies(member -> {
                assertThat(member.clientId()).isEqualTo("reporter-1");
                assertThat(member.host()).isEqualTo("/127.0.0.1");
                assertThat(member.assignment().topicPartitions()).containsExactlyInAnyOrder(
                    new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1), new TopicPartition(TOPIC, 2));
            });

            Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets("reporting").partitionsToOffsetAndMetadata());
            Map<TopicPartition, Long> positions = new HashMap<>();
            for (TopicPartition partition : consumer.assignment()) {
                positions.put(partition, consumer.position(partition));
            }
            assertThat(committed).isNotEmpty();
            committed.forEach((partition, offset) -> assertThat(offset.offset()).isEqualTo(positions.get(partition)));
            Map<TopicPartition, OffsetSpec> latest = committed.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = get(admin.listOffsets(latest).all());
            long lag = committed.entrySet().stream().mapToLong(e -> ends.get(e.getKey()).offset() - e.getValue().offset()).sum();
            long consumedCount = committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
            assertThat(ends.values()).allSatisfy(end -> assertThat(end.offset()).isEqualTo(10));
            assertThat(consumedCount).isBetween(1L, 30L);
            assertThat(lag).as("lag = end offset - committed offset, over 30 records").isEqualTo(30 - consumedCount);

            Map<TopicPartition, OffsetAndMetadata> byHand = get(admin.listConsumerGroupOffsets("by-hand").partitionsToOffsetAndMetadata());
            assertThat(byHand).containsExactly(Map.entry(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(4, "checkpoint")));

            assertThatThrownBy(() -> get(admin.deleteConsumerGroups(List.of("reporting")).all()))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupNotEmptyException.class);
            assertThatThrownBy(() -> get(admin.deleteConsumerGroupOffsets("reporting", Set.of(new TopicPartition(TOPIC, 0))).all()))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupSubscribedToTopicException.class);
        }
    }

    @Test
    void resetDeleteOffsetsAndDeleteGroupsOnceEmpty() throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer("etl", "etl-1")) {
            consumer.subscribe(List.of(TOPIC));
            consumeSomeAndCommit(consumer);
        } // closing leaves the group: it is now empty

        ConsumerGroupDescription empty = get(admin.describeConsumerGroups(List.of("etl")).all()).get("etl");
        assertThat(empty.groupState()).isEqualTo(GroupState.EMPTY);
        assertThat(empty.members()).isEmpty();

        // --reset-offsets --to-earliest
        Map<TopicPartition, OffsetAndMetadata> earliest = Map.of(
            new TopicPartition(TOPIC, 0), new OffsetAndMetadata(0), new TopicPartition(TOPIC, 1), new OffsetAndMetadata(0),
            new TopicPartition(TOPIC, 2), new OffsetAndMetadata(0));
        get(admin.alterConsumerGroupOffsets("etl", earliest).all());
        assertThat(get(admin.listConsumerGroupOffsets("etl").partitionsToOffsetAndMetadata())).isEqualTo(earliest);

        // --delete-offsets
        get(admin.deleteConsumerGroupOffsets("etl", Set.of(new TopicPartition(TOPIC, 2))).all());
        assertThat(get(admin.listConsumerGroupOffsets("etl").partitionsToOffsetAndMetadata())).containsOnlyKeys(
            new TopicPartition(TOPIC, 0), new TopicPartition(TOPIC, 1));

        // A new member resumes from the reset offsets: everything in 0 and 1, nothing of 2 until it resets.
        try (KafkaConsumer<String, String> consumer = consumer("etl", "etl-2")) {
            consumer.subscribe(List.of(TOPIC));
            int count = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (count < 30 && System.nanoTime() < deadline) {
                count += consumer.poll(Duration.ofMillis(200)).count();
            }
            assertThat(count).as("partitions 0 and 1 from 0, partition 2 from earliest (no committed offset)").isEqualTo(30);
        }

        get(admin.deleteConsumerGroups(List.of("etl")).all());
        assertThat(get(admin.listGroups().all())).extracting(GroupListing::groupId).doesNotContain("etl");
        assertThat(get(admin.listConsumerGroupOffsets("etl").partitionsToOffsetAndMetadata())).isEmpty();
        assertThatThrownBy(() -> get(admin.describeConsumerGroups(List.of("etl")).all()))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupIdNotFoundException.class);
        assertThatThrownBy(() -> get(admin.deleteConsumerGroups(List.of("etl")).all()))
            .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupIdNotFoundException.class);
    }

    @Test
    void theOffsetsTopicIsInternalAndClientsCannotWriteToIt() throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer("anything", "c")) {
            consumer.subscribe(List.of(TOPIC));
            consumeSomeAndCommit(consumer);
        }
        assertThat(get(admin.listTopics().names())).doesNotContain("__consumer_offsets");
        var offsetsTopic = get(admin.describeTopics(List.of("__consumer_offsets")).allTopicNames()).get("__consumer_offsets");
        assertThat(offsetsTopic.isInternal()).isTrue();
        assertThat(offsetsTopic.partitions()).hasSize(3);
        var config = get(admin.describeConfigs(List.of(new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, "__consumer_offsets"))).all()).values().iterator().next();
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
        assertThat(config.get("segment.bytes").value()).isEqualTo("104857600");

        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "5000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "4000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("__consumer_offsets", 0, "k", "v")).get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(InvalidTopicException.class);
        }
        assertThat(get(admin.listConsumerGroupOffsets("anything").partitionsToOffsetAndMetadata())).isNotEmpty();
    }

    @Test
    void removedMembersAndDescribedMembersMatch() throws Exception {
        try (KafkaConsumer<String, String> a = consumer("pair", "a")) {
            a.subscribe(List.of(TOPIC));
            consumeSomeAndCommit(a);
            ConsumerGroupDescription one = get(admin.describeConsumerGroups(List.of("pair")).all()).get("pair");
            assertThat(one.members()).extracting(MemberDescription::clientId).containsExactly("a");
            assertThat(one.authorizedOperations()).isNull();
            ConsumerGroupDescription withOperations = get(admin.describeConsumerGroups(List.of("pair"),
                new org.apache.kafka.clients.admin.DescribeConsumerGroupsOptions().includeAuthorizedOperations(true)).all()).get("pair");
            assertThat(withOperations.authorizedOperations()).contains(org.apache.kafka.common.acl.AclOperation.READ,
                org.apache.kafka.common.acl.AclOperation.DESCRIBE, org.apache.kafka.common.acl.AclOperation.DELETE);
        }
    }

    @Test
    void deletingATopicDeletesItsCommittedOffsets() throws Exception {
        admin.createTopics(List.of(new NewTopic("short-lived", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        try (KafkaConsumer<String, String> consumer = consumer("cleanup", "c")) {
            consumer.commitSync(Map.of(new TopicPartition("short-lived", 0), new OffsetAndMetadata(0),
                new TopicPartition(TOPIC, 1), new OffsetAndMetadata(3)));
        }
        get(admin.deleteTopics(List.of("short-lived")).all());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        Map<TopicPartition, OffsetAndMetadata> offsets;
        do {
            offsets = get(admin.listConsumerGroupOffsets("cleanup").partitionsToOffsetAndMetadata());
        } while (offsets.containsKey(new TopicPartition("short-lived", 0)) && System.nanoTime() < deadline);
        assertThat(offsets).containsOnlyKeys(new TopicPartition(TOPIC, 1));
    }
}
