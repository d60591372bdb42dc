package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** Mistakes a user makes with the real command: one clear line, the right exit code, quickly. */
class BadInputIT {

    @Test
    void unreachableBrokerFailsFastInOneLine() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BorgesProcess borges = BorgesProcess.against("127.0.0.1:" + port);
        for (String[] command : new String[][] {{"topic", "list"}, {"consume", "orders", "-e"}, {"cluster", "info"},
            {"group", "list"}}) {
            long start = System.nanoTime();
            BorgesProcess.Result result = borges.run(command);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
            assertThat(result.stderr()).as(result.toString())
                .startsWith("borges: cannot reach broker at 127.0.0.1:" + port + ": connection refused\n")
                .doesNotContain("Exception").doesNotContain("WARN");
            assertThat(result.stdout()).isEmpty();
            assertThat(millis).as("milliseconds for " + String.join(" ", command)).isLessThan(10_000);
        }
    }

    @Test
    void defaultBrokerComesFromTheEnvironment() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BorgesProcess.Result result = BorgesProcess.against("127.0.0.1:" + port).run("topic", "list");
        assertThat(result.stderr()).contains("127.0.0.1:" + port);
        BorgesProcess.Result flagWins = BorgesProcess.against("127.0.0.1:" + port).run("topic", "list", "-b", "127.0.0.1:1");
        assertThat(flagWins.stderr()).startsWith("borges: cannot reach broker at 127.0.0.1:1:");
    }

    @Test
    void withoutFlagOrEnvironmentTheBrokerIsLocalhost9092() {
        BorgesProcess.Result help = BorgesProcess.launcher(BorgesProcess.home().resolve("bin/borges")).run("topic", "list", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout().replaceAll("\\s+", " ")).contains("else localhost:9092 (now: localhost:9092)");
    }

    @Test
    void unknownFlagsAndCommandsAreUsageErrors() {
        BorgesProcess borges = BorgesProcess.against("127.0.0.1:1");
        BorgesProcess.Result flag = borges.run("produce", "orders", "--kee-separator", ":");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.stderr()).startsWith("borges: unknown option '--kee-separator'\n").contains("--key-separator")
            .endsWith("Try 'borges produce --help' for usage.\n");

        BorgesProcess.Result command = borges.run("topik", "list");
        assertThat(command.exitCode()).isEqualTo(2);
        assertThat(command.stderr()).startsWith("borges: unknown command 'topik'\n").contains("topic");

        BorgesProcess.Result missing = borges.run("topic", "create");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("TOPIC").contains("Try 'borges topic create --help' for usage.");
    }

    @Test
    void helpAndVersionWork() {
        BorgesProcess borges = BorgesProcess.against("127.0.0.1:1");
        BorgesProcess.Result help = borges.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Start here:").doesNotContain("\u001b["); // no colour when piped
        BorgesProcess.Result version = borges.run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("borges 0.");
    }
}
