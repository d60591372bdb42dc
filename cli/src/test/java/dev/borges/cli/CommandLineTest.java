package dev.borges.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.cli.output.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The command line in-process, without brokers: help, version, completion, and every kind of usage
 * error (exit code 2, one line naming the problem, a pointer to --help, no stack trace).
 */
class CommandLineTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void helpListsEveryCommandAndExitsZero() {
        assertThat(run("--help")).isEqualTo(0);
        assertThat(out()).contains("server", "topic", "produce", "consume", "group", "cluster", "config", "completion")
            .contains("Exit codes: 0 success, 1 the operation failed, 2 usage error.");
        assertThat(run("topic", "create", "--help")).isEqualTo(0);
        assertThat(out()).contains("--partitions", "--replication-factor", "--config", "--bootstrap", "Examples:");
    }

    @Test
    void noCommandPrintsTheOverviewAsAUsageError() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("Commands:").contains("borges: a command is needed");
    }

    @Test
    void aGroupWithoutSubcommandListsItsSubcommands() {
        assertThat(run("group")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("reset-offsets").contains("'borges group' needs a subcommand");
    }

    @Test
    void pluralCommandNamesWorkToo() {
        assertThat(run("topics", "list", "--help")).isEqualTo(0);
        assertThat(out()).startsWith("Usage: borges topic list");
        assertThat(run("groups", "describe", "--help")).isEqualTo(0);
        assertThat(run("configs", "get", "--help")).isEqualTo(0);
    }

    @Test
    void versionNamesBorgesAndTheKafkaClient() {
        assertThat(run("--version")).isEqualTo(0);
        assertThat(out()).containsPattern("borges \\d+\\.\\d+").contains("kafka-clients 4.");
    }

    @Test
    void unknownOptionIsOneLineWithASuggestion() {
        assertThat(run("topic", "create", "orders", "--partitionz", "3")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("borges: unknown option '--partitionz'\n").contains("--partitions")
            .endsWith("Try 'borges topic create --help' for usage.\n").doesNotContain("Exception");
    }

    @Test
    void unknownCommandSuggestsTheNearestOne() {
        assertThat(run("topic", "lst")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).startsWith("borges: unknown command 'lst'").contains("topic list");
    }

    @Test
    void malformedKeyValueIsAUsageError() {
        assertThat(run("topic", "create", "orders", "-c", "retention.ms")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("expected key=value, got 'retention.ms'").contains("Try 'borges topic create --help'");
        assertThat(run("config", "set", "topic", "orders", "retention.ms")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void badValuesAreUsageErrorsBeforeAnyConnection() {
        assertThat(run("consume", "orders", "--from", "yesterday")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("consume", "orders", "--format", "%x")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("unknown field '%x'");
        assertThat(run("consume", "orders", "--format", "%s", "--output", "json")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("consume", "orders", "--group", "g", "--from", "42")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("reset-offsets");
        assertThat(run("produce", "orders", "--acks", "2")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("topic", "create", "orders", "-p", "0")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("topic", "list", "--bootstrap", "no-port")).isEqualTo(ExitCodes.USAGE);
        assertThat(err()).contains("expected host:port, got 'no-port'");
        assertThat(run("topic", "list", "--timeout", "forever")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("topic", "add-partitions", "orders")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("topic", "add-partitions", "orders", "--to", "3", "--count", "1")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("group", "reset-offsets", "g")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("group", "reset-offsets", "g", "--to-datetime", "noon")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("config", "get", "broker", "one")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("config", "get", "cluster", "x")).isEqualTo(ExitCodes.USAGE);
        assertThat(run("server", "--override", "node.id")).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void unreachableBrokerIsOneLineAndExitCodeOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        assertThat(run("topic", "list", "--bootstrap", "127.0.0.1:" + port)).isEqualTo(ExitCodes.FAILED);
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
        assertThat(err()).startsWith("borges: cannot reach broker at 127.0.0.1:" + port + ": connection refused\n")
            .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void completionScriptCoversSubcommandsAndOptions() {
        assertThat(run("completion")).isEqualTo(0);
        assertThat(out()).contains("complete -F").contains("reset-offsets").contains("--key-separator").contains("add-partitions");
    }

    @Test
    void serverPrintsItsCommentedConfiguration() {
        assertThat(run("server", "--print-config")).isEqualTo(0);
        assertThat(out()).contains("listeners=PLAINTEXT://localhost:9092").contains("#log.retention.hours=168");
    }

    private int run(String... args) {
        out.reset();
        err.reset();
        Terminal terminal = new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), false, false, false, false);
        return Borges.run(terminal, args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }
}
