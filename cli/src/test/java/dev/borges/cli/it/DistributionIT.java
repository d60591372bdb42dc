package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution archive as a user installs it: unpacked away from the source tree, its
 * bin/borges runs the server with the shipped config/server.properties and the client commands.
 */
class DistributionIT {

    @Test
    void unpackedDistributionRunsWithoutTheSourceTree(@TempDir Path dir) throws Exception {
        Path archive = Path.of(System.getProperty("borges.distribution"));
        assertThat(archive).exists();
        Process tar = new ProcessBuilder("tar", "xzf", archive.toString(), "-C", dir.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path home;
        try (Stream<Path> top = Files.list(dir)) {
            home = top.filter(p -> p.getFileName().toString().startsWith("borges-")).findFirst().orElseThrow();
        }
        assertThat(home.resolve("bin/borges")).isExecutable();
        assertThat(home.resolve("config/server.properties")).exists();
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).toList();
            assertThat(names).anyMatch(n -> n.startsWith("cli-")).anyMatch(n -> n.startsWith("broker-"))
                .anyMatch(n -> n.startsWith("kafka-clients-")).anyMatch(n -> n.startsWith("picocli-"));
        }

        BorgesProcess installed = BorgesProcess.launcher(home.resolve("bin/borges")).inDirectory(dir);
        BorgesProcess.Result config = installed.run("server", "--print-config");
        assertThat(config.exitCode()).isZero();
        assertThat(config.stdout()).isEqualTo(Files.readString(home.resolve("config/server.properties")));

        BorgesProcess.Running server = installed.start(dir.resolve("out"), dir.resolve("err"), "server",
            home.resolve("config/server.properties").toString(),
            "--override", "listeners=PLAINTEXT://127.0.0.1:0", "--override", "log.dirs=" + dir.resolve("data"));
        try {
            server.awaitStdout("Ctrl-C stops it", Duration.ofSeconds(60));
            Matcher ready = Pattern.compile("clients connect to (127\\.0\\.0\\.1:\\d+)").matcher(server.stdout());
            assertThat(ready.find()).isTrue();
            BorgesProcess client = installed.withEnv("BORGES_BROKERS", ready.group(1));
            assertThat(client.run("topic", "create", "installed").exitCode()).isZero();
            assertThat(client.run("topic", "list").stdout()).contains("installed");
        } finally {
            server.terminate();
        }
    }
}
