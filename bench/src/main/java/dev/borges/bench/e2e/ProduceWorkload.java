package dev.borges.bench.e2e;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code produce}: one producer sends {@code records} records of 1 KiB (no key, so the sticky
 * partitioner spreads batches over the topic's 6 partitions) as fast as {@code send} accepts them;
 * the clock runs from the first {@code send} to the end of {@code flush()}, when every record is
 * acknowledged. Reports records/s and MB/s (10^6 bytes of record values per second). The producer
 * settings are the client's defaults (idempotent, acks=all) plus the variant's overrides.
 */
final class ProduceWorkload implements Workload {

    static final int RECORD_SIZE = 1024;
    static final int PARTITIONS = 6;

    private final String name;
    private final String topic;
    private final long records;
    private final Map<String, Object> producerOverrides;

    ProduceWorkload(String name, String topic, long records, Map<String, Object> producerOverrides) {
        this.name = name;
        this.topic = topic;
        this.records = records;
        this.producerOverrides = producerOverrides;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Measurements run(String bootstrap) throws Exception {
        Clients.createTopic(bootstrap, topic, PARTITIONS);
        byte[] value = Clients.payload(RECORD_SIZE);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long elapsed;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, producerOverrides)) {
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            for (long i = 0; i < records && failure.get() == null; i++) {
                producer.send(new ProducerRecord<>(topic, value), recordFailure(failure));
            }
            producer.flush();
            elapsed = System.nanoTime() - start;
        }
        return figures(name, records, elapsed, failure);
    }

    /** A send callback that keeps the first failure in {@code failure}. */
    static Callback recordFailure(AtomicReference<Exception> failure) {
        return (metadata, e) -> {
            if (e != null) {
                failure.compareAndSet(null, e);
            }
        };
    }

    /**
     * Records/s and MB/s of {@code records} 1 KiB records sent in {@code elapsedNanos}; throws if a
     * send failed meanwhile.
     */
    static Measurements figures(String name, long records, long elapsedNanos, AtomicReference<Exception> failure) {
        if (failure.get() != null) {
            throw new IllegalStateException(name + ": a send failed", failure.get());
        }
        double seconds = elapsedNanos / 1e9;
        long bytes = records * RECORD_SIZE;
        return new Measurements()
            .put(name + " records/s", records / seconds)
            .put(name + " MB/s", bytes / 1e6 / seconds)
            .addBytesMoved(bytes);
    }
}
