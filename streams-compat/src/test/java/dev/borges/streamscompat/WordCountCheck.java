package dev.borges.streamscompat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The word count of Kafka Streams' own examples, run by Apache Kafka's {@code kafka-streams} against
 * an embedded Borges broker with one processing guarantee: lines in, a count per word in a KTable
 * (a repartition topic and a changelog topic, created by Streams itself), the counts out. The last
 * count written for each word must be exactly its number of occurrences.
 *
 * <p>A subclass names the guarantee; each runs the same topology on the same input.
 */
abstract class WordCountCheck {
    private static final String INPUT = "lines";
    private static final String OUTPUT = "word-counts";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    /** {@code processing.guarantee}: {@code at_least_once} or {@code exactly_once_v2}. */
    abstract String processingGuarantee();

    /** Lines whose words occur a known number of times: word {@code w<i>} occurs {@code i} times per round. */
    private static List<String> lines(int rounds) {
        List<String> lines = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 1; i <= 10; i++) {
                StringBuilder line = new StringBuilder();
                for (int word = i; word <= 10; word++) {
                    line.append(word == i ? "" : " ").append(round % 2 == 0 ? "W" : "w").append(word);
                }
                lines.add(line.toString());
            }
        }
        return lines;
    }

    private static Map<String, Long> expectedCounts(List<String> lines) {
        Map<String, Long> counts = new TreeMap<>();
        for (String line : lines) {
            for (String word : line.toLowerCase(Locale.ROOT).split("\\W+")) {
                counts.merge(word, 1L, Long::sum);
            }
        }
        return counts;
    }

    static StreamsBuilder wordCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
            .flatMapValues(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")))
            .groupBy((key, word) -> word, Grouped.with(Serdes.String(), Serdes.String()))
            .count(Materialized.as("counts"))
            .toStream()
            .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        return builder;
    }

    void countsEveryWordExactly(Path stateDir) throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(Map.of("num.partitions", "3"))) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(INPUT, 3, (short) 1), new NewTopic(OUTPUT, 3, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
            }
            List<String> lines = lines(20);
            Properties producerProps = new Properties();
            producerProps.put("bootstrap.servers", broker.bootstrapServers());
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < lines.size(); i++) {
                    producer.send(new ProducerRecord<>(INPUT, "line-" + i, lines.get(i)));
                }
                producer.flush();
            }

            Properties streamsProps = new Properties();
            streamsProps.put(StreamsConfig.APPLICATION_ID_CONFIG, "word-count-" + processingGuarantee().replace('_', '-'));
            streamsProps.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
            streamsProps.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee());
            streamsProps.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            streamsProps.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
            streamsProps.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
            streamsProps.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
            Map<String, Long> expected = expectedCounts(lines);
            KafkaStreams streams = new KafkaStreams(wordCount().build(), streamsProps);
            try {
                streams.start();
                assertThat(latestCounts(broker, expected)).isEqualTo(expected);
                assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
            } finally {
                streams.close(Duration.ofSeconds(30)); // bounded: a stuck application must not hang the build
            }
        }
    }

    /** Reads the output (committed records only) until the last count of every word is the expected one, or the time is up. */
    private static Map<String, Long> latestCounts(EmbeddedBroker broker, Map<String, Long> expected) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "word-count-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Long> latest = new TreeMap<>();
        try (KafkaConsumer<String, Long> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new LongDeserializer())) {
            consumer.subscribe(List.of(OUTPUT));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!latest.equals(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, Long> record : consumer.poll(Duration.ofMillis(200))) {
                    latest.put(record.key(), record.value());
                }
            }
        }
        return latest;
    }
}
