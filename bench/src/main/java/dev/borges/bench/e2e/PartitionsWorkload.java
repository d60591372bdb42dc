package dev.borges.bench.e2e;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code partitions}: many partitions at once. Creates a topic of {@code partitions} partitions
 * (timed until every partition has a leader that answers for it, see {@link Clients#createTopic}), has one producer (client defaults) write
 * {@code recordsPerPartition} 1 KiB records to each, round-robin over the partitions (timed to the
 * end of {@code flush()}), then one consumer assigned all partitions reads them all back (timed as
 * in {@link ConsumeWorkload}). Reports create ms, produce MB/s and fetch MB/s.
 */
final class PartitionsWorkload implements Workload {

    private static final String TOPIC = "many-partitions";

    private final int partitions;
    private final int recordsPerPartition;

    PartitionsWorkload(int partitions, int recordsPerPartition) {
        this.partitions = partitions;
        this.recordsPerPartition = recordsPerPartition;
    }

    @Override
    public String name() {
        return "partitions";
    }

    @Override
    public Measurements run(String bootstrap) throws Exception {
        long createStart = System.nanoTime();
        Clients.createTopic(bootstrap, TOPIC, partitions);
        double createMillis = (System.nanoTime() - createStart) / 1e6;
        byte[] value = Clients.payload(ProduceWorkload.RECORD_SIZE);
        long records = (long) partitions * recordsPerPartition;
        AtomicReference<Exception> failure = new AtomicReference<>();
        long elapsed;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of())) {
            producer.partitionsFor(TOPIC);
            long start = System.nanoTime();
            for (long i = 0; i < records && failure.get() == null; i++) {
                producer.send(new ProducerRecord<>(TOPIC, (int) (i % partitions), null, value), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
            elapsed = System.nanoTime() - start;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("partitions: a send failed", failure.get());
        }
        long bytes = records * ProduceWorkload.RECORD_SIZE;
        Measurements fetch = new ConsumeWorkload("partitions fetch", TOPIC, partitions, records).run(bootstrap);
        return new Measurements()
            .put("partitions create " + partitions + " ms", createMillis)
            .put("partitions produce MB/s", bytes / 1e6 / (elapsed / 1e9))
            .put("partitions fetch MB/s", fetch.figures().get("partitions fetch MB/s"))
            .addBytesMoved(bytes + fetch.bytesMoved());
    }
}
