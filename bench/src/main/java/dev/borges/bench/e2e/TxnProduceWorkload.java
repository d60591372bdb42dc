package dev.borges.bench.e2e;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code produce txn}: one transactional producer ({@code transactional.id} set, every other
 * setting the client's default) sends {@code records} records of 1 KiB (no key, so the sticky
 * partitioner spreads batches over the topic's 6 partitions) in transactions of
 * {@link #RECORDS_PER_TRANSACTION}: {@code beginTransaction}, that many {@code send}s,
 * {@code commitTransaction} (which flushes, then ends the transaction and waits for the
 * coordinator's answer); the last transaction holds the remainder. The clock runs from the first
 * {@code beginTransaction} to the return of the last {@code commitTransaction}; {@code initTransactions}
 * (finding the coordinator, InitProducerId) comes before it. Reports records/s, MB/s (10^6 bytes of
 * record values per second) and transactions/s.
 *
 * <p>Each instance uses a transactional id of its own ({@code borges-bench-<topic>}), so the warm-up's
 * producer and the measured one do not fence each other.
 */
final class TxnProduceWorkload implements Workload {

    static final int RECORDS_PER_TRANSACTION = 100;

    private final String name;
    private final String topic;
    private final long records;

    TxnProduceWorkload(String name, String topic, long records) {
        this.name = name;
        this.topic = topic;
        this.records = records;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Measurements run(String bootstrap) throws Exception {
        Clients.createTopic(bootstrap, topic, ProduceWorkload.PARTITIONS);
        byte[] value = Clients.payload(ProduceWorkload.RECORD_SIZE);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long transactions = 0;
        long elapsed;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap,
            Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "borges-bench-" + topic))) {
            producer.initTransactions();
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            for (long sent = 0; sent < records && failure.get() == null; transactions++) {
                producer.beginTransaction();
                long end = Math.min(records, sent + RECORDS_PER_TRANSACTION);
                for (; sent < end; sent++) {
                    producer.send(new ProducerRecord<>(topic, value), ProduceWorkload.recordFailure(failure));
                }
                producer.commitTransaction();
            }
            elapsed = System.nanoTime() - start;
        }
        return ProduceWorkload.figures(name, records, elapsed, failure)
            .put(name + " transactions/s", transactions / (elapsed / 1e9));
    }
}
