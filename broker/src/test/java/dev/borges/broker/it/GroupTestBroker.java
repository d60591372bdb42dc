package dev.borges.broker.it;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the consumer-group ITs of both protocols share: a broker on a free loopback port over the
 * test's data directory with the topic {@link #TOPIC} of {@link #PARTITIONS} partitions, a producer
 * of numbered records ({@code k7}/{@code v7} to partition {@code 7 % partitions}), and the
 * {@link GroupMember}s started against it with the test's member settings.
 *
 * <p>Lifecycle: one per test, started in {@code @BeforeEach} and closed in {@code @AfterEach};
 * {@link #restart()} stops the broker cleanly and starts it again on the same data and port, as
 * members and clients expect; {@link #close()} stops the members still running, then the broker.
 * Used from the test thread.
 */
final class GroupTestBroker implements AutoCloseable {
    static final String TOPIC = "orders";
    static final int PARTITIONS = 6;

    private final Map<String, String> settings;
    private final Map<String, String> memberSettings;
    private final List<GroupMember> members = new CopyOnWriteArrayList<>();
    private BrokerServer broker;

    private GroupTestBroker(Map<String, String> settings, Map<String, String> memberSettings) throws Exception {
        this.settings = settings;
        this.memberSettings = memberSettings;
        broker = BrokerServer.start(BrokerConfig.of(settings));
        settings.put("listeners", "PLAINTEXT://127.0.0.1:" + broker.port()); // a restart keeps the port
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /**
     * A broker with {@code brokerSettings} (on top of its data directory, a free port and five
     * partitions of {@code __consumer_offsets}) whose members get {@code memberSettings}.
     */
    static GroupTestBroker start(Path dataDir, Map<String, String> brokerSettings, Map<String, String> memberSettings)
        throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(Map.of(
            "log.dirs", dataDir.toString(),
            "listeners", "PLAINTEXT://127.0.0.1:0",
            "offsets.topic.num.partitions", "5"));
        settings.putAll(brokerSettings);
        return new GroupTestBroker(settings, Map.copyOf(memberSettings));
    }

    String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    /** The offsets {@code group} has committed, by partition. */
    Map<TopicPartition, Long> committedOffsets(String group) throws Exception {
        try (Admin admin = admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
        }
    }

    /** Writes records {@code from} to {@code from + count - 1} over the topic's first {@code partitions} partitions. */
    void produce(int from, int count, int partitions) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % partitions, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    void produce(int from, int count) throws Exception {
        produce(from, count, PARTITIONS);
    }

    /** The values {@link #produce} writes for records {@code from} to {@code from + count - 1}. */
    static List<String> values(int from, int count) {
        return IntStream.range(from, from + count).mapToObj(i -> "v" + i).toList();
    }

    /** A started member of {@code group} with the member settings, then {@code overrides}. */
    GroupMember member(String group, Map<String, String> overrides) {
        Map<String, String> config = new LinkedHashMap<>(memberSettings);
        config.putAll(overrides);
        GroupMember member = new GroupMember(bootstrap(), TOPIC, group, config);
        members.add(member);
        return member.start();
    }

    GroupMember member(String group) {
        return member(group, Map.of());
    }

    /** {@link GroupMember#leave()}s: closes normally, leaving the group. */
    void leave(GroupMember member) throws InterruptedException {
        member.leave();
        members.remove(member);
    }

    /** {@link GroupMember#crash()}es: closes without leaving the group. */
    void crash(GroupMember member) throws InterruptedException {
        member.crash();
        members.remove(member);
    }

    /** Stops the broker cleanly and starts it again on the same data and port. */
    void restart() throws Exception {
        broker.close();
        broker = BrokerServer.start(BrokerConfig.of(settings));
    }

    @Override
    public void close() {
        for (GroupMember member : members) {
            member.stop();
        }
        broker.close();
    }
}
