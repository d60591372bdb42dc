package dev.borges.bench.e2e;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code transactional}: one transactional producer sends {@code records} records of 1 KiB to 6
 * partitions in transactions of {@link #RECORDS_PER_TRANSACTION} records, committing each before
 * the next begins (the exactly-once pattern of a stream processor's commit interval, shrunk). The
 * clock runs from the first {@code beginTransaction} to the last {@code commitTransaction}; a
 * transaction costs AddPartitionsToTxn, the produce requests, EndTxn and the markers. Reports
 * records/s, MB/s and transactions/s.
 */
final class TransactionalProduceWorkload implements Workload {
    static final int RECORDS_PER_TRANSACTION = 100;

    private final String topic;
    private final long records;

    TransactionalProduceWorkload(String topic, long records) {
        this.topic = topic;
        this.records = records;
    }

    @Override
    public String name() {
        return "transactional";
    }

    @Override
    public Measurements run(String bootstrap) throws Exception {
        Clients.createTopic(bootstrap, topic, ProduceWorkload.PARTITIONS);
        byte[] value = Clients.payload(ProduceWorkload.RECORD_SIZE);
        AtomicReference<Exception> failure = new AtomicReference<>();
        long transactions = Math.max(1, records / RECORDS_PER_TRANSACTION);
        long elapsed;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, Map.of("transactional.id", "bench-" + topic))) {
            producer.initTransactions();
            producer.partitionsFor(topic);
            long start = System.nanoTime();
            for (long t = 0; t < transactions && failure.get() == null; t++) {
                producer.beginTransaction();
                for (int i = 0; i < RECORDS_PER_TRANSACTION; i++) {
                    producer.send(new ProducerRecord<>(topic, value), (metadata, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                }
                producer.commitTransaction();
            }
            elapsed = System.nanoTime() - start;
        }
        if (failure.get() != null) {
            throw new IllegalStateException("transactional: a send failed", failure.get());
        }
        double seconds = elapsed / 1e9;
        long sent = transactions * RECORDS_PER_TRANSACTION;
        long bytes = sent * ProduceWorkload.RECORD_SIZE;
        return new Measurements()
            .put("transactional records/s", sent / seconds)
            .put("transactional MB/s", bytes / 1e6 / seconds)
            .put("transactional txn/s", transactions / seconds)
            .addBytesMoved(bytes);
    }
}
