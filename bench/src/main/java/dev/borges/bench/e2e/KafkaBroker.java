package dev.borges.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Apache Kafka 4.4 as {@code bin/kafka-server-start.sh} runs it: a KRaft combined node (broker and
 * controller, node 1) from the jars {@code bench/run-side-by-side} copies from Maven Central into
 * {@code bench/target/kafka-lib}, with Kafka's default JVM flags (1 GiB heap, G1, 20 ms pause goal)
 * and its shipped {@code config/server.properties} values for a single node (replication factors 1,
 * no initial rebalance delay). Storage is formatted with {@code StorageTool} before the launch; that
 * step is not part of the start-up figure.
 */
final class KafkaBroker extends BrokerProcess {

    /** {@code KAFKA_HEAP_OPTS} of kafka-server-start.sh and {@code KAFKA_JVM_PERFORMANCE_OPTS} of kafka-run-class.sh. */
    private static final List<String> KAFKA_JVM_FLAGS = List.of("-Xmx1G", "-Xms1G", "-server", "-XX:+UseG1GC",
        "-XX:MaxGCPauseMillis=20", "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent",
        "-XX:MaxInlineLevel=15", "-Djava.awt.headless=true");

    private final String classpath;

    /** @param libDir a directory holding kafka_2.13 4.4.0, its dependencies and a log4j2 backend */
    KafkaBroker(Path libDir) throws IOException {
        try (Stream<Path> jars = Files.list(libDir.toAbsolutePath())) {
            this.classpath = jars.filter(p -> p.toString().endsWith(".jar")).map(Path::toString).sorted()
                .collect(Collectors.joining(":"));
        }
        if (!classpath.contains("kafka_2.13-")) {
            throw new IllegalArgumentException("No kafka_2.13 jar in " + libDir + "; run bench/run-side-by-side");
        }
    }

    @Override
    String name() {
        return "kafka";
    }

    @Override
    protected List<String> prepare(Path workDir, int port) throws IOException, InterruptedException {
        int controllerPort = freePort();
        Path data = Files.createDirectory(workDir.resolve("data"));
        Path properties = workDir.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
            "process.roles=broker,controller",
            "node.id=1",
            "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
            "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
            "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
            "controller.listener.names=CONTROLLER",
            "inter.broker.listener.name=PLAINTEXT",
            "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
            "log.dirs=" + data,
            "num.partitions=1",
            "auto.create.topics.enable=false",
            "offsets.topic.replication.factor=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "group.initial.rebalance.delay.ms=0",
            "") );
        String clusterId = runTool(workDir, "kafka.tools.StorageTool", "random-uuid").trim();
        runTool(workDir, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", properties.toString());
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(KAFKA_JVM_FLAGS);
        command.addAll(jvmLogFlags());
        command.add("-Dkafka.logs.dir=" + workDir.resolve("logs"));
        command.addAll(List.of("-cp", classpath, "kafka.Kafka", properties.toString()));
        return command;
    }

    /** Runs a Kafka tool class to completion and returns its last output line. */
    private String runTool(Path workDir, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-cp", classpath, mainClass));
        command.addAll(List.of(args));
        Process tool = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(tool.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!tool.waitFor(120, TimeUnit.SECONDS) || tool.exitValue() != 0) {
            tool.destroyForcibly();
            throw new IllegalStateException(mainClass + " " + String.join(" ", args) + " failed:\n" + output);
        }
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }
}
