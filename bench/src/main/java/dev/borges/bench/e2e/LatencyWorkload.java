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
    /** A slowest record above this many ms has the slow records printed by send time. */
    private static final long SLOW_MILLIS = 50;

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
        printSlowRecords(latencies, receiver.sentNanos, receiver.partitions);
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

    /**
     * When the slowest record took more than {@link #SLOW_MILLIS}, prints (to the console, not the
     * results) the records slower than a tenth of that, grouped by 50 ms of send time, with the
     * wall-clock time, so a tail can be laid beside GC logs, {@code vmstat} and the like; and which
     * partitions they were in, since a stall of one partition looks different from a stall of all.
     */
    private static void printSlowRecords(long[] latencies, long[] sentNanos, byte[] partitions) {
        long max = Arrays.stream(latencies).max().orElse(0);
        if (max < SLOW_MILLIS * 1_000_000L) {
            return;
        }
        long threshold = SLOW_MILLIS * 100_000L;
        long wallMinusNanoMs = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
        java.util.TreeMap<Long, long[]> windows = new java.util.TreeMap<>(); // window -> {count, max latency, partition bits}
        for (int i = 0; i < latencies.length; i++) {
            if (latencies[i] > threshold) {
                long[] window = windows.computeIfAbsent(sentNanos[i] / 50_000_000L, w -> new long[3]);
                window[0]++;
                window[1] = Math.max(window[1], latencies[i]);
                window[2] |= 1L << partitions[i];
            }
        }
        StringBuilder out = new StringBuilder(String.format("  latency: slowest record %.1f ms; records over %.1f ms by send time:%n",
            max / 1e6, threshold / 1e6));
        windows.entrySet().stream().limit(30).forEach(e -> out.append(String.format("    %s  %5d records  max %7.1f ms  partitions %s%n",
            java.time.Instant.ofEpochMilli(e.getKey() * 50 + wallMinusNanoMs), e.getValue()[0], e.getValue()[1] / 1e6,
            Long.toBinaryString(e.getValue()[2]))));
        System.out.print(out);
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
        private final long[] sentNanos;
        private final byte[] partitions;
        private final java.util.concurrent.CountDownLatch assigned = new java.util.concurrent.CountDownLatch(1);
        private volatile long received;
        private volatile boolean stop;
        private volatile Exception failure;

        Receiver(String bootstrap, long total, long measuredFrom, long[] latencies) {
            this.bootstrap = bootstrap;
            this.total = total;
            this.measuredFrom = measuredFrom;
            this.latencies = latencies;
            this.sentNanos = new long[latencies.length];
            this.partitions = new byte[latencies.length];
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
                            int index = (int) (sequence - measuredFrom);
                            latencies[index] = now - value.getLong(0);
                            sentNanos[index] = value.getLong(0);
                            partitions[index] = (byte) record.partition();
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
