package dev.borges.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(BorgesExtension.class)
@BorgesExtension.BrokerSettings({"num.partitions=2"})
class EmbeddedBrokerIT {

    @Test
    void recordsSurviveARestart(EmbeddedBroker broker) throws Exception {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>("events", 0, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
        String clusterId = broker.clusterId();
        broker.restart();
        assertThat(broker.clusterId()).isEqualTo(clusterId);

        props.put("auto.offset.reset", "earliest");
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition("events", 0)));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(read::add);
            }
            assertThat(consumer.partitionsFor("events")).as("num.partitions from @BrokerSettings").hasSize(2);
        }
        assertThat(read).extracting(ConsumerRecord::value).containsExactlyElementsOf(
            java.util.stream.IntStream.range(0, 100).mapToObj(i -> "v" + i).toList());
    }
}
