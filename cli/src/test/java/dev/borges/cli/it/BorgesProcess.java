package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real command, {@code bin/borges}, as a process, the way a user does: arguments, stdin,
 * environment ({@code BORGES_BROKERS} pointing at the test's broker), and collects the exit code,
 * stdout and stderr. {@code BORGES_SKIP_BUILD=1} makes the launcher run what Maven has just
 * packaged instead of ever building inside a test.
 *
 * <p>The launcher lives in the source tree ({@code borges.home}, set by the failsafe configuration)
 * or in an unpacked distribution ({@link #launcher(Path)}). Instances are immutable; each
 * {@link #run} starts a new process.
 */
final class BorgesProcess {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path launcher;
    private final Map<String, String> env;
    private final Path workDir;

    private BorgesProcess(Path launcher, Map<String, String> env, Path workDir) {
        this.launcher = launcher;
        this.env = env;
        this.workDir = workDir;
    }

    /** The source tree's bin/borges, talking to {@code bootstrap}. */
    static BorgesProcess against(String bootstrap) {
        return launcher(home().resolve("bin/borges")).withEnv("BORGES_BROKERS", bootstrap);
    }

    static BorgesProcess launcher(Path launcher) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BORGES_SKIP_BUILD", "1");
        return new BorgesProcess(launcher, env, home());
    }

    /** The repository's root. */
    static Path home() {
        String home = System.getProperty("borges.home");
        if (home == null) {
            throw new IllegalStateException("borges.home is not set; run the integration tests through Maven (failsafe)");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    BorgesProcess withEnv(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(env);
        copy.put(name, value);
        return new BorgesProcess(launcher, copy, workDir);
    }

    BorgesProcess inDirectory(Path directory) {
        return new BorgesProcess(launcher, env, directory);
    }

    /** Runs {@code commandLine} with bash, as a user pastes it (pipes and quoting included). */
    Result shell(String commandLine) {
        List<String> command = List.of("bash", "-c", commandLine);
        return execute(command, "");
    }

    Result run(String... args) {
        return runWithInput("", args);
    }

    Result runWithInput(String stdin, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        return execute(command, stdin);
    }

    private Result execute(List<String> command, String stdin) {
        List<String> args = command.subList(1, command.size());
        try {
            Path in = Files.createTempFile("borges-in", ".txt");
            Path out = Files.createTempFile("borges-out", ".txt");
            Path err = Files.createTempFile("borges-err", ".txt");
            try {
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
                Process process = builder(command).redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
                if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    fail(String.join(" ", command) + " did not finish within " + TIMEOUT + "; stdout:\n"
                        + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
                }
                return new Result(List.copyOf(args), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(in);
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Starts a long-running command (server, consume without -n); output goes to files. */
    Running start(Path outFile, Path errFile, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Process process = builder(command).redirectInput(ProcessBuilder.Redirect.PIPE).redirectOutput(outFile.toFile())
            .redirectError(errFile.toFile()).start();
        return new Running(process, outFile, errFile);
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile());
        builder.environment().remove("BORGES_BROKERS");
        builder.environment().putAll(env);
        return builder;
    }

    /** What a finished command left. */
    record Result(List<String> args, int exitCode, String stdout, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("stdout of borges " + String.join(" ", args) + " is not JSON:\n" + stdout, e);
            }
        }

        /** stdout as JSON lines. */
        List<JsonNode> jsonLines() {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (!line.isBlank()) {
                    try {
                        lines.add(JSON.readTree(line));
                    } catch (IOException e) {
                        throw new AssertionError("not a JSON line: " + line, e);
                    }
                }
            }
            return lines;
        }

        List<String> lines() {
            return stdout.isEmpty() ? List.of() : List.of(stdout.split("\n"));
        }

        @Override
        public String toString() {
            return "borges " + String.join(" ", args) + " -> exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    /** A command still running. */
    record Running(Process process, Path outFile, Path errFile) {
        String stdout() throws IOException {
            return Files.readString(outFile, StandardCharsets.UTF_8);
        }

        String stderr() throws IOException {
            return Files.readString(errFile, StandardCharsets.UTF_8);
        }

        /** Waits until stdout contains {@code text}; fails with the output if the process ends or time runs out. */
        void awaitStdout(String text, Duration timeout) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!stdout().contains(text)) {
                if (!process.isAlive()) {
                    fail("the command ended (exit " + process.exitValue() + ") before printing '" + text + "'; stdout:\n" + stdout()
                        + "\nstderr:\n" + stderr());
                }
                if (System.nanoTime() > deadline) {
                    fail("no '" + text + "' within " + timeout + "; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
                }
                Thread.sleep(20);
            }
        }

        /** SIGTERM, as a service manager or {@code kill} sends it; returns the exit code. */
        int terminate() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                fail("did not stop within 30 s of SIGTERM");
            }
            return process.exitValue();
        }
    }
}
