package dev.borges.cli.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;

/**
 * Apache Kafka 4.x as a separate process, for checking that {@code borges} works against the broker
 * it imitates: a KRaft combined node (broker and controller, node 1) on two free loopback ports,
 * with its data under a directory the test owns, and Kafka's own defaults otherwise
 * ({@code auto.create.topics.enable=true} included), save the replication factors of 1 a single
 * node needs and no initial rebalance delay.
 *
 * <p>Its jars are the cli module's test-scoped {@code kafka_2.13} and what that brings, listed by
 * the build in {@code target/apache-kafka-classpath.txt} (system property
 * {@code borges.it.kafkaClasspath}, set by the failsafe configuration). It logs warnings through
 * Logback to {@code kafka.out} in its directory, whose tail a failed start reports.
 *
 * <p>Lifecycle: {@link #start} formats the storage ({@code StorageTool format}), launches
 * {@code kafka.Kafka} and returns once {@code borges cluster info} lists its broker (about 4 s here);
 * {@link #close} stops the process by its PID (SIGTERM, then SIGKILL after 30 s). On a 2-core
 * machine the JVM runs with C1 only and a 512 MiB heap, plenty for a handful of tiny topics.
 * Not thread-safe: owned by one test class's lifecycle.
 */
final class ApacheKafka implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> JVM_FLAGS = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
        "-Djava.awt.headless=true");
    private static final String LOGBACK = """
        <configuration>
          <appender name="out" class="ch.qos.logback.core.ConsoleAppender">
            <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{36} - %msg%n</pattern></encoder>
          </appender>
          <root level="WARN"><appender-ref ref="out"/></root>
        </configuration>
        """;

    private final Process process;
    private final Path dir;
    private final int port;
    private final String clusterId;

    private ApacheKafka(Process process, Path dir, int port, String clusterId) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.clusterId = clusterId;
    }

    /** Formats storage under {@code dir}, starts Kafka and waits until it serves requests. */
    static ApacheKafka start(Path dir) throws IOException, InterruptedException {
        String classpath = classpath();
        int port = freePort();
        int controllerPort = freePort();
        Path properties = dir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + dir.resolve("data"),
            "offsets.topic.replication.factor=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            ""));
        Path logback = Files.writeString(dir.resolve("logback.xml"), LOGBACK);
        Path out = dir.resolve("kafka.out");
        String clusterId = Uuid.randomUuid().toString();

        List<String> logging = List.of("-Dlogback.configurationFile=" + logback, "-Dkafka.logs.dir=" + dir.resolve("logs"));
        Process format = new ProcessBuilder(java(classpath, logging, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c",
            properties.toString())).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("format.out").toFile())
            .start();
        if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("Kafka's StorageTool format failed:\n" + Files.readString(dir.resolve("format.out")));
        }

        Process process = new ProcessBuilder(java(classpath, logging, "kafka.Kafka", properties.toString())).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        ApacheKafka kafka = new ApacheKafka(process, dir, port, clusterId);
        try {
            kafka.awaitServing();
        } catch (RuntimeException | InterruptedException e) {
            kafka.close();
            throw e;
        }
        return kafka;
    }

    /** {@code host:port} for clients and {@code BORGES_BROKERS}. */
    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    /** The cluster id its storage was formatted with. */
    String clusterId() {
        return clusterId;
    }

    /** Stops Kafka by its PID: SIGTERM (a controlled shutdown), SIGKILL if that takes over 30 s. */
    @Override
    public void close() {
        ProcessHandle handle = ProcessHandle.of(process.pid()).orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                handle.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            handle.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks {@code borges cluster info} until it lists a broker: Kafka answers requests a moment
     * before its broker is registered and unfenced, and until then creates no topics.
     */
    private void awaitServing() throws InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        BorgesProcess borges = BorgesProcess.against(bootstrap());
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka exited with " + process.exitValue() + " before serving:\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Kafka did not serve requests within " + START_TIMEOUT + ":\n" + tail());
            }
            BorgesProcess.Result info = borges.run("cluster", "info", "--output", "json", "--timeout", "2s");
            if (info.exitCode() == 0 && !info.json().get("brokers").isEmpty()) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("kafka.out"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    /** A command line running {@code mainClass} on Kafka's classpath, on the JDK the test runs on. */
    private static List<String> java(String classpath, List<String> properties, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_FLAGS);
        command.addAll(properties);
        command.addAll(List.of("-cp", classpath, mainClass));
        command.addAll(List.of(args));
        return command;
    }

    private static String classpath() throws IOException {
        String file = System.getProperty("borges.it.kafkaClasspath");
        if (file == null || !Files.exists(Path.of(file))) {
            throw new IllegalStateException("borges.it.kafkaClasspath (" + file + ") names no file; run the integration tests through"
                + " Maven (mvn verify -pl cli -am), whose pre-integration-test phase writes it");
        }
        String classpath = Files.readString(Path.of(file)).strip();
        if (!classpath.contains("kafka_2.13-")) {
            throw new IllegalStateException(file + " lists no kafka_2.13 jar");
        }
        return classpath;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
