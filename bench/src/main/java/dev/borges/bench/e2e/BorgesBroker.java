package dev.borges.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Borges as a user starts it: {@code bin/borges server}, the launcher of the source tree (built by
 * {@code bench/run-side-by-side}; {@code BORGES_SKIP_BUILD=1}, so it never builds during a run), with
 * whatever it chooses (the newest installed JDK 17+, its JVM flags, its class-data-sharing archive),
 * plus overrides for the node id, a loopback listener on a free port and a fresh {@code log.dirs}.
 *
 * <p>The launcher records its class-data-sharing archive on the first start after a build and maps
 * it on every later one: {@link #recordClassDataSharingArchive} takes that first start before the
 * measured rounds, so {@code startup ms} is what a user sees from the second start on. The JVM logs
 * that {@link #logJvmTo} asks for go through {@code JAVA_TOOL_OPTIONS}, the one way to reach the JVM
 * through the launcher without changing its command line.
 */
final class BorgesBroker extends BrokerProcess {

    private final Path launcher;

    /** @param launcher {@code bin/borges} */
    BorgesBroker(Path launcher) {
        if (!Files.isExecutable(launcher)) {
            throw new IllegalArgumentException("No Borges launcher at " + launcher.toAbsolutePath() + " (bin/borges)");
        }
        this.launcher = launcher.toAbsolutePath().normalize();
    }

    /**
     * Starts and stops Borges once, unmeasured: the launcher records its class-data-sharing archive
     * when that first process exits (or keeps the one it has, when no jar changed since).
     */
    static void recordClassDataSharingArchive(Path launcher) throws IOException, InterruptedException {
        try (BorgesBroker first = new BorgesBroker(launcher)) {
            first.start();
        }
    }

    @Override
    String name() {
        return "borges";
    }

    @Override
    protected List<String> prepare(Path workDir, int port) throws IOException {
        Path data = Files.createDirectory(workDir.resolve("data"));
        List<String> command = new ArrayList<>(List.of(launcher.toString(), "server",
            "--override", "node.id=1",
            "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
            "--override", "log.dirs=" + data,
            "--override", "auto.create.topics.enable=false",
            "--override", "offsets.topic.replication.factor=1",
            "--override", "group.initial.rebalance.delay.ms=0"));
        return command;
    }

    @Override
    protected Map<String, String> environment() {
        List<String> logFlags = jvmLogFlags();
        return logFlags.isEmpty() ? Map.of("BORGES_SKIP_BUILD", "1")
            : Map.of("BORGES_SKIP_BUILD", "1", "JAVA_TOOL_OPTIONS", String.join(" ", logFlags));
    }
}
