package dev.borges.cli.client;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka clients of one command run, configured so that nothing waits longer than the command's
 * {@code --timeout}: Kafka clients retry for a minute or more by default, which at a prompt looks
 * like a hang. {@link #open} first checks with {@link BrokerProbe} that a broker answers at all.
 *
 * <p>The {@link Admin} client is created on first use and shared; producers and consumers are
 * created per call and owned by the caller. Used by the command's thread; {@link #close()} closes
 * the admin client (waiting at most the timeout).
 */
public final class KafkaConnection implements AutoCloseable {
    private static final String CLIENT_ID = "borges";

    private final BootstrapServers bootstrap;
    private final Duration timeout;
    private Admin admin;

    private KafkaConnection(BootstrapServers bootstrap, Duration timeout) {
        this.bootstrap = bootstrap;
        this.timeout = timeout;
    }

    /**
     * A connection to these brokers, once one of them took a TCP connection.
     *
     * @throws dev.borges.cli.CliException if none did
     */
    public static KafkaConnection open(BootstrapServers bootstrap, Duration timeout) {
        BrokerProbe.check(bootstrap, timeout);
        return new KafkaConnection(bootstrap, timeout);
    }

    public BootstrapServers bootstrap() {
        return bootstrap;
    }

    public Duration timeout() {
        return timeout;
    }

    public synchronized Admin admin() {
        if (admin == null) {
            Map<String, Object> config = common();
            config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs());
            admin = Admin.create(config);
        }
        return admin;
    }

    /**
     * A producer of raw bytes. {@code max.block.ms} (waiting for metadata or buffer space) and
     * {@code delivery.timeout.ms} follow the timeout; {@code settings} add or replace producer settings.
     */
    public KafkaProducer<byte[], byte[]> producer(Map<String, Object> settings) {
        Map<String, Object> config = common();
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, timeoutMs());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.putAll(settings);
        // The producer refuses delivery.timeout.ms < linger.ms + request.timeout.ms.
        int linger = ((Number) config.get(ProducerConfig.LINGER_MS_CONFIG)).intValue();
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeoutMs() + linger + timeoutMs());
        return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** A consumer of raw bytes that never commits on its own; {@code settings} add consumer settings. */
    public KafkaConsumer<byte[], byte[]> consumer(Map<String, Object> settings) {
        Map<String, Object> config = common();
        config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.putAll(settings);
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(timeout);
            admin = null;
        }
    }

    private Map<String, Object> common() {
        Map<String, Object> config = new HashMap<>();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap.toString());
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, CLIENT_ID);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs());
        int setupMs = Math.min(timeoutMs(), 10_000);
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, setupMs);
        config.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, setupMs);
        return config;
    }

    private int timeoutMs() {
        return (int) Math.min(timeout.toMillis(), Integer.MAX_VALUE / 4);
    }
}
