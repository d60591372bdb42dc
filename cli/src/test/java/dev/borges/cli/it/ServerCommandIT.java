package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code borges server}: the broker as users start it, stopped by SIGTERM, restarted on its data. */
class ServerCommandIT {
    private static final Pattern READY = Pattern.compile("clients connect to (127\\.0\\.0\\.1:\\d+), data in (\\S+) \\(cluster ");

    @Test
    void startsPrintsWhereItListensServesClientsAndStopsCleanly(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        BorgesProcess launcher = BorgesProcess.against("127.0.0.1:1").inDirectory(dir);
        String bootstrap;
        BorgesProcess.Running server = launcher.start(dir.resolve("server.out"), dir.resolve("server.err"), "server",
            "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "log.dirs=" + data, "--override", "num.partitions=2");
        try {
            server.awaitStdout("Ctrl-C stops it", Duration.ofSeconds(60));
            Matcher ready = READY.matcher(server.stdout());
            assertThat(ready.find()).as(server.stdout()).isTrue();
            bootstrap = ready.group(1);
            assertThat(Path.of(ready.group(2))).isEqualTo(data);

            BorgesProcess borges = BorgesProcess.against(bootstrap);
            assertThat(borges.run("topic", "create", "kept").stdout()).contains("2 partitions");
            assertThat(borges.runWithInput("one\ntwo\n", "produce", "kept", "-p", "1").exitCode()).isZero();
        } finally {
            int exit = server.terminate();
            assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
        }
        assertThat(server.stderr()).contains("Borges broker 1 stopped");

        // Same data, same port: what was written is still there.
        String port = bootstrap.substring(bootstrap.indexOf(':') + 1);
        BorgesProcess.Running again = launcher.start(dir.resolve("again.out"), dir.resolve("again.err"), "server",
            "--override", "listeners=PLAINTEXT://127.0.0.1:" + port, "--override", "log.dirs=" + data);
        try {
            again.awaitStdout("Ctrl-C stops it", Duration.ofSeconds(60));
            assertThat(BorgesProcess.against(bootstrap).run("consume", "kept", "-e").lines()).containsExactly("one", "two");
        } finally {
            again.terminate();
        }
    }

    @Test
    void readsAPropertiesFile(@TempDir Path dir) throws Exception {
        Path properties = Files.writeString(dir.resolve("server.properties"),
            "node.id=7\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=" + dir.resolve("data") + "\nsome.kafka.only.setting=1\n");
        BorgesProcess.Running server = BorgesProcess.against("127.0.0.1:1").inDirectory(dir)
            .start(dir.resolve("out"), dir.resolve("err"), "server", properties.toString());
        try {
            server.awaitStdout("Ctrl-C stops it", Duration.ofSeconds(60));
            assertThat(server.stdout()).startsWith("Borges broker 7 is ready");
            assertThat(server.stderr()).contains("Ignoring setting some.kafka.only.setting");
        } finally {
            server.terminate();
        }
    }

    @Test
    void badSettingsStopItWithOneLine(@TempDir Path dir) {
        BorgesProcess borges = BorgesProcess.against("127.0.0.1:1").inDirectory(dir);
        BorgesProcess.Result malformed = borges.run("server", "--override", "num.partitions");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr()).startsWith("borges: invalid value for option '--override'").contains("expected key=value");

        BorgesProcess.Result invalid = borges.run("server", "--override", "num.partitions=zero", "--override", "log.dirs=" + dir);
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.stderr()).startsWith("borges: cannot start the broker: ").contains("num.partitions");

        BorgesProcess.Result missing = borges.run("server", dir.resolve("absent.properties").toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).startsWith("borges: cannot start the broker: Cannot read ");
    }
}
