package dev.borges.bench.e2e;

import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code consume}: one consumer (default fetch settings, assigned every partition, no group) reads a
 * topic written before from its start until it has {@code records} records; the clock runs from the
 * first {@code poll} to the one that completes the count. Reports MB/s of record values. Also serves
 * the fetch half of {@code partitions}.
 */
final class ConsumeWorkload implements Workload {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final String name;
    private final String topic;
    private final int partitions;
    private final long records;

    ConsumeWorkload(String name, String topic, int partitions, long records) {
        this.name = name;
        this.topic = topic;
        this.partitions = partitions;
        this.records = records;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Measurements run(String bootstrap) {
        long count = 0;
        long bytes = 0;
        long start = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumerFromStart(bootstrap, topic, partitions)) {
            while (count < records) {
                if (System.nanoTime() - start > TIMEOUT.toNanos()) {
                    throw new IllegalStateException(name + ": read " + count + " of " + records + " records in " + TIMEOUT);
                }
                ConsumerRecords<byte[], byte[]> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<byte[], byte[]> record : batch) {
                    bytes += record.value().length;
                    count++;
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Measurements()
            .put(name + " MB/s", bytes / 1e6 / seconds)
            .addBytesMoved(bytes);
    }
}
