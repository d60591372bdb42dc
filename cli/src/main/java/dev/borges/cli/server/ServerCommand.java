package dev.borges.cli.server;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.config.Listener;
import dev.borges.broker.server.BrokerServer;
import dev.borges.cli.CliException;
import dev.borges.cli.HelpOption;
import dev.borges.cli.KeyValue;
import dev.borges.cli.output.Terminal;
import dev.borges.storage.config.InvalidConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code borges server}: runs a broker in this process until SIGTERM or Ctrl-C, then stops it
 * cleanly (logs flushed, clean-shutdown marker written). Prints where it listens and where its data
 * is once it serves requests; the broker's own log goes to stderr.
 *
 * <p>The main thread starts the broker and then waits; the JVM's shutdown hook closes it.
 */
@Command(name = "server", sortOptions = false,
    description = {
        "Start a broker (Ctrl-C stops it cleanly).",
        "",
        "With no file it runs with the built-in defaults: node.id=1, listeners=PLAINTEXT://localhost:9092,"
            + " log.dirs=./data, num.partitions=1, auto.create.topics.enable=true. Settings keep Kafka's names."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  borges server",
        "  borges server config/server.properties",
        "  borges server --override listeners=PLAINTEXT://0.0.0.0:9093 \\",
        "                --override log.dirs=/var/lib/borges",
        "  borges server --print-config > my.properties    every setting and its default"})
public final class ServerCommand implements Callable<Integer> {
    private final Terminal terminal;

    @Mixin
    private HelpOption help;

    @Parameters(arity = "0..1", paramLabel = "server.properties",
        description = "A Kafka-style properties file; settings Borges does not use are reported and ignored.")
    private Path propertiesFile;

    @Option(names = "--override", paramLabel = "KEY=VALUE", converter = KeyValue.Converter.class,
        description = "A setting on top of the file (repeatable), e.g. --override num.partitions=3.")
    private List<KeyValue> overrides = new ArrayList<>();

    @Option(names = "--print-config",
        description = "Print every broker setting with its default and meaning, as a commented properties file, and exit.")
    private boolean printConfig;

    public ServerCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    /**
     * {@code borges server [file] [--override key=value]...} parsed without picocli, or empty when
     * the arguments hold anything else ({@code --help}, {@code --print-config}, a malformed
     * override, an unknown option, two files), which picocli then parses and reports.
     *
     * <p>Why: picocli's classes are compiled for Java 5, older than class-data sharing can archive,
     * so loading and verifying them costs about a tenth of a second at every start; the plain
     * form of the most common command skips that. The form accepted here is a strict subset of
     * what picocli accepts, with the same meaning.
     */
    public static Optional<ServerCommand> parsePlain(Terminal terminal, String... args) {
        if (args.length == 0 || !args[0].equals("server")) {
            return Optional.empty();
        }
        ServerCommand command = new ServerCommand(terminal);
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            String override = null;
            if (arg.equals("--override") && i + 1 < args.length) {
                override = args[++i];
            } else if (arg.startsWith("--override=")) {
                override = arg.substring("--override=".length());
            } else if (!arg.startsWith("-") && command.propertiesFile == null) {
                command.propertiesFile = Path.of(arg);
                continue;
            } else {
                return Optional.empty();
            }
            try {
                command.overrides.add(KeyValue.parse(override));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.of(command);
    }

    @Override
    public Integer call() throws InterruptedException {
        if (printConfig) {
            terminal.out().print(ServerPropertiesTemplate.text());
            terminal.out().flush();
            return 0;
        }
        BrokerServer server;
        try {
            server = BrokerServer.start(BrokerConfig.load(propertiesFile, KeyValue.toMap(overrides)));
        } catch (InvalidConfigException e) {
            throw new CliException("cannot start the broker: " + e.getMessage(), "'borges server --print-config' lists the settings.");
        } catch (Exception e) {
            throw new CliException("cannot start the broker: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        BrokerConfig config = server.config();
        Listener listener = config.advertisedListeners().get(0);
        String host = listener.host().isEmpty() ? "localhost" : listener.host();
        int port = listener.port() == 0 ? server.port() : listener.port();
        terminal.out().println("Borges broker " + config.nodeId() + " is ready: clients connect to " + host + ":" + port
            + ", data in " + config.logDir().toAbsolutePath().normalize() + " (cluster " + server.clusterId() + "). Ctrl-C stops it.");
        terminal.out().flush();

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return 0;
    }
}
