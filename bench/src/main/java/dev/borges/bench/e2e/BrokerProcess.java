package dev.borges.bench.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A broker under test, run as a separate operating-system process with a fresh data directory and
 * free loopback ports, so that its memory and CPU time can be read from {@code /proc} apart from the
 * load generator's.
 *
 * <p>Lifecycle: {@link #start()} prepares the work directory (not timed; Kafka formats its storage
 * here), launches the process and waits until it serves a request; {@link #startupMillis()} is the
 * time from launching the process to the first successful {@code describeCluster} (see
 * {@link ReadyProbe}). {@link #close()} stops the process by its PID (SIGTERM, then SIGKILL after
 * 30 s) and deletes the work directory. Not thread-safe: owned by the harness's main thread.
 */
abstract class BrokerProcess implements AutoCloseable {

    private Path workDir;
    private Path jvmLog;
    private int port;
    private Process process;
    private long startupNanos;
    private String runtime;

    /**
     * Has the broker's JVM log its garbage collections and safepoints ({@code -Xlog:gc*,safepoint},
     * with uptime and wall-clock stamps) to {@code file}, for the next {@link #start()}. Diagnostic
     * only: logging changes nothing the broker does. Both brokers take the same flag.
     */
    final void logJvmTo(Path file) {
        this.jvmLog = file.toAbsolutePath();
    }

    /** The JVM logging flags {@link #logJvmTo} asked for, to go before the main class; empty if none. */
    protected final List<String> jvmLogFlags() {
        return jvmLog == null ? List.of() : List.of("-Xlog:gc*,safepoint:file=" + jvmLog + ":uptime,time,level,tags");
    }

    /** Short name used in tables: {@code borges} or {@code kafka}. */
    abstract String name();

    /**
     * Writes whatever the broker needs before it starts (configuration, formatted storage) under
     * {@code workDir}, and returns the command line that runs it.
     */
    protected abstract List<String> prepare(Path workDir, int port) throws IOException, InterruptedException;

    /** Environment variables the broker's process gets on top of the harness's own; none by default. */
    protected Map<String, String> environment() {
        return Map.of();
    }

    /** Starts the broker and returns once it has served a request. */
    final void start() throws IOException, InterruptedException {
        workDir = Files.createTempDirectory("borges-bench-" + name() + "-");
        port = freePort();
        List<String> command = prepare(workDir, port);
        ProcessBuilder builder = new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("broker.out").toFile());
        builder.environment().putAll(environment());
        long launched = System.nanoTime();
        process = builder.start();
        try {
            ReadyProbe.awaitServing(bootstrap(), process);
        } catch (IllegalStateException e) {
            String output = Files.exists(workDir.resolve("broker.out")) ? tail(workDir.resolve("broker.out")) : "";
            close();
            throw new IllegalStateException(name() + " did not start: " + e.getMessage() + "\n" + output, e);
        }
        startupNanos = System.nanoTime() - launched;
        runtime = describeRuntime(process.pid());
    }

    /**
     * The JDK the broker runs on, as its {@code release} file names it (vendor and version), or the
     * java executable's path when that file is missing; {@code null} before the first start. Each
     * broker's own launcher chooses its JDK, so they may differ.
     */
    final String runtime() {
        return runtime;
    }

    private static String describeRuntime(long pid) throws IOException {
        Path java = Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "exe"));
        Path release = java.getParent().getParent().resolve("release");
        if (!Files.exists(release)) {
            return java.toString();
        }
        Map<String, String> fields = new java.util.HashMap<>();
        for (String line : Files.readAllLines(release)) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                fields.put(line.substring(0, equals), line.substring(equals + 1).replace("\"", ""));
            }
        }
        return (fields.getOrDefault("IMPLEMENTOR", "") + " " + fields.getOrDefault("JAVA_VERSION", java.toString())).trim();
    }

    /** {@code host:port} for clients. */
    final String bootstrap() {
        return "127.0.0.1:" + port;
    }

    final long pid() {
        return process.pid();
    }

    /** Process launch to the first served request, in milliseconds. */
    final double startupMillis() {
        return startupNanos / 1e6;
    }

    @Override
    public final void close() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (workDir != null) {
            deleteRecursively(workDir);
            workDir = null;
        }
    }

    /** The java launcher of the running JVM: both brokers run on the JDK the harness runs on. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }
}
