package dev.borges.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Borges as {@code bin/borges server} runs it: {@code BorgesServer} on the broker's built jars and
 * their runtime dependencies (the classpath Maven writes to {@code bench/target/borges-classpath.txt}),
 * with the JVM's default heap, and overrides for the node id, a loopback listener on a free port and a
 * fresh {@code log.dirs}. Unlike {@code bin/borges} it uses no class-data-sharing archive, so start-up
 * includes class loading, as Kafka's does.
 */
final class BorgesBroker extends BrokerProcess {

    private final String classpath;

    /** @param classpathFile a file holding the broker's classpath on one line */
    BorgesBroker(Path classpathFile) throws IOException {
        this.classpath = Files.readString(classpathFile).trim();
    }

    @Override
    String name() {
        return "borges";
    }

    @Override
    protected List<String> prepare(Path workDir, int port) throws IOException {
        Path data = Files.createDirectory(workDir.resolve("data"));
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        if (Runtime.version().feature() >= 22) {
            command.add("--enable-native-access=ALL-UNNAMED");
        }
        if (Runtime.version().feature() >= 23) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(jvmLogFlags());
        command.addAll(List.of("-cp", classpath, "dev.borges.broker.server.BorgesServer",
            "--override", "node.id=1",
            "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
            "--override", "log.dirs=" + data,
            "--override", "auto.create.topics.enable=false",
            "--override", "offsets.topic.replication.factor=1",
            "--override", "group.initial.rebalance.delay.ms=0"));
        return command;
    }
}
