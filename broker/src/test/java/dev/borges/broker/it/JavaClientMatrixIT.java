package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java client's everyday uses, each checked for what a user relies on: nothing lost, nothing reordered, nothing changed. */
class JavaClientMatrixIT {
    @TempDir
    Path dataDir;

    private BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        broker = startBroker();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private BrokerServer startBroker() throws Exception {
        String port = broker == null ? "0" : Integer.toString(broker.port());
        return BrokerServer.start(BrokerConfig.of(Map.of("log.dirs", dataDir.toString(), "listeners", "PLAINTEXT://127.0.0.1:" + port)));
    }

    private Properties props() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "127.0.0.1:" + broker.port());
        props.put("auto.offset.reset", "earliest");
        return props;
    }

    private void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(props())) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private <K, V> List<ConsumerRecord<K, V>> readAll(KafkaConsumer<K, V> consumer, List<TopicPartition> partitions, int expected) {
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (records.size() < expected && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        return records;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void everyCompressionCodecRoundTrips(String codec) throws Exception {
        Properties props = props();
        props.put("compression.type", codec);
        props.put("linger.ms", "5");
        String topic = "codec-" + codec;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 500; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, i % 7 == 0 ? null : "value-" + i));
            }
            producer.flush();
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<ConsumerRecord<String, String>> records = readAll(consumer, List.of(new TopicPartition(topic, 0)), 500);
            assertThat(records).hasSize(500);
            for (int i = 0; i < 500; i++) {
                assertThat(records.get(i).key()).isEqualTo("key-" + i);
                assertThat(records.get(i).value()).as("null values stay null").isEqualTo(i % 7 == 0 ? null : "value-" + i);
            }
        }
    }

    @Test
    void nearlyOneMegabyteRecordsArriveIntact() throws Exception {
        byte[][] values = new byte[5][];
        Random random = new Random(1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props(), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < values.length; i++) {
                values[i] = new byte[1_000_000];
                random.nextBytes(values[i]);
                producer.send(new ProducerRecord<>("big", values[i])).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props(), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(consumer, List.of(new TopicPartition("big", 0)), values.length);
            assertThat(records).hasSize(values.length);
            for (int i = 0; i < values.length; i++) {
                assertThat(Arrays.equals(records.get(i).value(), values[i])).as("record %d", i).isTrue();
            }
        }
    }

    @Test
    void hundredThousandRecordsKeepPerPartitionOrderAndKeysStayOnTheirPartition() throws Exception {
        createTopic("many", 4);
        int count = 100_000;
        Map<Integer, List<String>> sentPerPartition = new HashMap<>();
        Map<String, Integer> partitionOfKey = new HashMap<>();
        Properties props = props();
        props.put("linger.ms", "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                acks.add(producer.send(new ProducerRecord<>("many", "key-" + (i % 100), Integer.toString(i))));
            }
            for (int i = 0; i < count; i++) {
                RecordMetadata metadata = acks.get(i).get(60, TimeUnit.SECONDS);
                String key = "key-" + (i % 100);
                assertThat(partitionOfKey.computeIfAbsent(key, k -> metadata.partition())).as("one partition per key")
                    .isEqualTo(metadata.partition());
                sentPerPartition.computeIfAbsent(metadata.partition(), p -> new ArrayList<>()).add(Integer.toString(i));
            }
        }
        List<TopicPartition> partitions = List.of(new TopicPartition("many", 0), new TopicPartition("many", 1),
            new TopicPartition("many", 2), new TopicPartition("many", 3));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props(), new StringDeserializer(), new StringDeserializer())) {
            List<ConsumerRecord<String, String>> records = readAll(consumer, partitions, count);
            assertThat(records).hasSize(count);
            Map<Integer, List<String>> readPerPartition = new HashMap<>();
            for (ConsumerRecord<String, String> record : records) {
                readPerPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(record.value());
            }
            assertThat(readPerPartition).isEqualTo(sentPerPartition);
            assertThat(sentPerPartition.keySet()).as("the default partitioner spread 100 keys").hasSizeGreaterThan(1);
        }
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfterATime() throws Exception {
        long base = System.currentTimeMillis() - 60_000;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 10; i++) {
                producer.send(new ProducerRecord<>("timed", 0, base + i * 1000L, "k", "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props(), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition partition = new TopicPartition("timed", 0);
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(partition, base + 4500));
            assertThat(found.get(partition).offset()).isEqualTo(5);
            assertThat(found.get(partition).timestamp()).isEqualTo(base + 5000);
            assertThat(consumer.offsetsForTimes(Map.of(partition, base + 999_999)).get(partition)).as("nothing that late").isNull();
            consumer.assign(List.of(partition));
            consumer.seek(partition, found.get(partition).offset());
            List<ConsumerRecord<String, String>> rest = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (rest.size() < 5 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(rest::add);
            }
            assertThat(rest).extracting(ConsumerRecord::value).containsExactly("v5", "v6", "v7", "v8", "v9");
        }
    }

    @Test
    void everythingIsReadBackAfterARestart() throws Exception {
        createTopic("durable", 2);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 1000; i++) {
                producer.send(new ProducerRecord<>("durable", i % 2, "k" + i, "v" + i));
            }
            producer.flush();
        }
        broker.close();
        broker = startBroker();
        List<TopicPartition> partitions = List.of(new TopicPartition("durable", 0), new TopicPartition("durable", 1));
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props(), new StringDeserializer(), new StringDeserializer())) {
            List<ConsumerRecord<String, String>> records = readAll(consumer, partitions, 1000);
            assertThat(records).hasSize(1000);
            assertThat(records.stream().filter(r -> r.partition() == 0).map(ConsumerRecord::value).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 1000).filter(i -> i % 2 == 0).mapToObj(i -> "v" + i).toList());
            assertThat(consumer.partitionsFor("durable")).hasSize(2);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props(), new StringSerializer(), new StringSerializer())) {
            assertThat(producer.send(new ProducerRecord<>("durable", 0, "k", "after")).get(30, TimeUnit.SECONDS).offset())
                .as("appends continue after the last record").isEqualTo(500);
        }
    }
}
