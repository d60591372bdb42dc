package dev.borges.testkit;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Borges broker inside the current JVM, on a free loopback port with its own temporary data
 * directory: a fast, light replacement for starting Kafka in a container in tests.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.start()) {
 *     props.put("bootstrap.servers", broker.bootstrapServers());
 *     ...
 * }
 * }</pre>
 *
 * {@link #restart()} stops the broker cleanly and starts it again on the same data and port, to
 * test what survives a restart. {@link #close()} stops it and deletes its data (unless the
 * directory was given by the caller).
 */
public final class EmbeddedBroker implements AutoCloseable {
    private final Map<String, String> settings;
    private final Path dataDir;
    private final boolean ownsDataDir;
    private BrokerServer server;

    private EmbeddedBroker(Map<String, String> settings, Path dataDir, boolean ownsDataDir) throws Exception {
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
        this.settings = new LinkedHashMap<>(settings);
        this.settings.put("log.dirs", dataDir.toString());
        this.settings.putIfAbsent("listeners", "PLAINTEXT://127.0.0.1:0");
        this.server = BrokerServer.start(BrokerConfig.of(this.settings));
        // Keep the port across restarts, so clients that already know it reconnect.
        this.settings.put("listeners", "PLAINTEXT://127.0.0.1:" + server.port());
    }

    /** A broker with the embedded defaults, in a new temporary directory. */
    public static EmbeddedBroker start() throws Exception {
        return start(Map.of());
    }

    /** A broker with these broker settings (Kafka's names) on top of the defaults. */
    public static EmbeddedBroker start(Map<String, String> brokerSettings) throws Exception {
        return new EmbeddedBroker(brokerSettings, Files.createTempDirectory("borges-embedded-"), true);
    }

    /** A broker keeping its data in {@code dataDir}, which is left in place on close. */
    public static EmbeddedBroker start(Map<String, String> brokerSettings, Path dataDir) throws Exception {
        return new EmbeddedBroker(brokerSettings, dataDir, false);
    }

    /** {@code host:port}, for a client's {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + server.port();
    }

    public int port() {
        return server.port();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String clusterId() {
        return server.clusterId();
    }

    /** Stops the broker cleanly and starts it again on the same data and port. */
    public synchronized void restart() throws Exception {
        server.close();
        server = BrokerServer.start(BrokerConfig.of(settings));
    }

    @Override
    public synchronized void close() {
        server.close();
        if (ownsDataDir) {
            deleteRecursively(dataDir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
