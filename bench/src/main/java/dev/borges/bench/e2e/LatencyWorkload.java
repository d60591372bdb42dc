package dev.borges.bench.e2e;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code latency}: end-to-end latency at a fixed rate well below saturation. A producer (client
 * defaults: idempotent, acks=all, linger.ms=5) sends 1 KiB records on a fixed schedule
 * ({@code rate} bytes/s, so one record every {@code 1024 / rate} s) to a 6-partition topic; the
 * first 8 bytes of each value hold {@link System#nanoTime()} at {@code send}. A consumer in another
 * thread of the same JVM (so both read one clock) polls the topic and takes, per record,
 * {@code nanoTime()} after {@code poll} returns minus the send time. Records sent during the first
 * {@code warmUp} are not counted. Reports p50, p99, p99.9 and max in ms (microsecond resolution).
 *
 * <p>Two more figures say where a tail came from. {@code latency harness stall max ms} is the
 * longest the harness's own JVM stood still during the measured part ({@link StallMeter}): the
 * sender stops then too, so a stall of the load generator delays only the few records in flight,
 * while a stall of the broker delays every record sent during it. {@code latency producer retries}
 * counts batches the producer had to send again (an error answer or a timeout); each retry waits
 * {@code retry.backoff.ms} (100 ms, doubling up to 1 s).
 */
final class LatencyWorkload implements Workload {

    private static final String TOPIC = "latency";

    private final double bytesPerSecond;
    private final Duration duration;
    private final Duration warmUp;

    LatencyWorkload(double bytesPerSecond, Duration duration, Duration warmUp) {
        this.bytesPerSecond = bytesPerSecond;
        this.duration = duration;
        this.warmUp = warmUp;
    }

    @Override
    public String name() {
        return "latency";
    }

    @Override
    public Measurements run(String bootstrap) throws Exception {
        Clients.createTopic(bootstrap, TOPIC, ProduceWorkload.PARTITIONS);
        long intervalNanos = (long) (ProduceWorkload.RECORD_SIZE / bytesPerSecond * 1e9);
        long total = duration.toNanos() / intervalNanos;
        long measuredFrom = warmUp.toNanos() / intervalNanos;
        long[] latencies = new long[(int) (total - measuredFrom)];
        Receiver receiver = new Receiver(bootstrap, total, measuredFrom, latencies);
        Thread receiving = new Thread(receiver, "latency-consumer");
        receiving.start();
        receiver.awaitAssigned();
        byte[] value = Clients.payload(ProduceWorkload.RECORD_SIZE);
        StallMeter stalls = new StallMeter();
        double stallMillis;
        double retries;
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(bootstrap, java.util.Map.of())) {
            producer.partitionsFor(TOPIC);
            long start = System.nanoTime();
            for (long i = 0; i < total; i++) {
                if (i == measuredFrom) {
                    stalls.start();
                }
                long due = start + i * intervalNanos;
                while (System.nanoTime() < due) {
                    LockSupport.parkNanos(Math.min(50_000, due - System.nanoTime()));
                }
                byte[] stamped = value.clone();
                ByteBuffer.wrap(stamped).putLong(0, System.nanoTime()).putLong(8, i);
                producer.send(new ProducerRecord<>(TOPIC, stamped));
            }
            producer.flush();
            retries = producerRetries(producer);
        } finally {
            stallMillis = stalls.stop();
        }
        receiving.join(Duration.ofMinutes(2).toMillis());
        if (receiving.isAlive() || receiver.failure != null) {
            receiver.stop = true;
            throw new IllegalStateException("latency: received " + receiver.received + " of " + total, receiver.failure);
        }
        Arrays.sort(latencies);
        long bytes = total * ProduceWorkload.RECORD_SIZE;
        return new Measurements()
            .put("latency p50 ms", percentile(latencies, 0.50))
            .put("latency p99 ms", percentile(latencies, 0.99))
            .put("latency p99.9 ms", percentile(latencies, 0.999))
            .put("latency max ms", latencies[latencies.length - 1] / 1e6)
            .put("latency harness stall max ms", stallMillis)
            .put("latency producer retries", retries)
            .addBytesMoved(2 * bytes);
    }

    /** The producer's {@code record-retry-total} metric. */
    private static double producerRetries(KafkaProducer<byte[], byte[]> producer) {
        return producer.metrics().entrySet().stream()
            .filter(e -> e.getKey().group().equals("producer-metrics") && e.getKey().name().equals("record-retry-total"))
            .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    private static double percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, index)] / 1e6;
    }

    /** The consuming side: fills {@code latencies} indexed by sequence number. */
    private static final class Receiver implements Runnable {
        private final String bootstrap;
        private final long total;
        private final long measuredFrom;
        private final long[] latencies;
        private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
        private volatile long received;
        private volatile boolean stop;
        private volatile Exception failure;

        Receiver(String bootstrap, long total, long measuredFrom, long[] latencies) {
            this.bootstrap = bootstrap;
            this.total = total;
            this.measuredFrom = measuredFrom;
            this.latencies = latencies;
        }

        void awaitAssigned() throws InterruptedException {
            assigned.await();
        }

        @Override
        public void run() {
            try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumerFromStart(bootstrap, TOPIC, ProduceWorkload.PARTITIONS)) {
                consumer.assignment().forEach(consumer::position);
                assigned.countDown();
                long count = 0;
                while (count < total && !stop) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        long now = System.nanoTime();
                        ByteBuffer value = ByteBuffer.wrap(record.value());
                        long sequence = value.getLong(8);
                        if (sequence >= measuredFrom) {
                            latencies[(int) (sequence - measuredFrom)] = now - value.getLong(0);
                        }
                        count++;
                    }
                    received = count;
                }
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                assigned.countDown();
            }
        }
    }
}
