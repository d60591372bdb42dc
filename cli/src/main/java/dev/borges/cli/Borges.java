package dev.borges.cli;

import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.cluster.ClusterCommand;
import dev.borges.cli.config.ConfigCommand;
import dev.borges.cli.consume.ConsumeCommand;
import dev.borges.cli.group.GroupCommand;
import dev.borges.cli.output.Terminal;
import dev.borges.cli.produce.ProduceCommand;
import dev.borges.cli.server.ServerCommand;
import dev.borges.cli.topic.TopicCommand;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code borges} command: its entry point ({@link #main}), the root of the picocli command tree,
 * and the one place that turns outcomes into output and exit codes ({@link ExitCodes}): usage errors
 * print one line plus a pointer to {@code --help} and exit 2; failures print one line (and a hint)
 * and exit 1. Stack traces appear only with {@code -v}.
 *
 * <p>{@code bin/borges} runs it on the newest JDK it finds. {@code borges server} is the hot path
 * for start-up time, so it builds a command tree holding only the server, and keeps the broker's
 * logging; every other command logs through the client configuration ({@link Logging}).
 * One instance per process, used by the main thread.
 */
@Command(name = "borges", mixinStandardHelpOptions = true, versionProvider = Borges.Version.class,
    usageHelpAutoWidth = true,
    description = {
        "Borges: a Kafka-compatible broker, and one command for what you do with Kafka brokers (Borges or"
            + " Apache Kafka): topics, records, consumer groups, configs, the cluster.",
        ""},
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {
        "Start here:",
        "  borges server                          a broker on localhost:9092",
        "  borges topic create orders -p 3        a topic with 3 partitions",
        "  echo hello | borges produce orders     write a record",
        "  borges consume orders -e               read all records, then stop",
        "  borges group describe billing          a consumer group's lag",
        "",
        "Every command has --help, e.g. 'borges topic create --help'. Commands that talk",
        "to brokers take --bootstrap HOST:PORT (default: $BORGES_BROKERS, else",
        "localhost:9092), --timeout and --output json.",
        "",
        "Exit codes: 0 success, 1 the operation failed, 2 usage error.",
        "Shell completion: 'borges completion --help'."})
public final class Borges implements Runnable {
    private final Terminal terminal;

    @Spec
    private CommandSpec spec;

    Borges(Terminal terminal) {
        this.terminal = terminal;
    }

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }

    /** Runs the command line {@code args} against {@code terminal}; returns the exit code. */
    public static int run(Terminal terminal, String... args) {
        boolean server = args.length > 0 && args[0].equals("server");
        if (!server) {
            Logging.useClientConfiguration();
        }
        Optional<ServerCommand> plainServer = ServerCommand.parsePlain(terminal, args);
        int exitCode = plainServer.isPresent() ? runServer(terminal, plainServer.get()) : commandLine(terminal, server).execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return exitCode;
    }

    /** {@code borges server} in its plain form, without picocli (see {@link ServerCommand#parsePlain}). */
    private static int runServer(Terminal terminal, ServerCommand server) {
        try {
            return server.call();
        } catch (Exception e) {
            return failure(terminal, e, null);
        }
    }

    /** The command tree; with {@code serverOnly}, just what {@code borges server} needs. */
    static CommandLine commandLine(Terminal terminal, boolean serverOnly) {
        CommandLine commandLine = new CommandLine(new Borges(terminal));
        commandLine.addSubcommand(new ServerCommand(terminal));
        if (!serverOnly) {
            commandLine.addSubcommand(new TopicCommand());
            commandLine.addSubcommand(new ProduceCommand());
            commandLine.addSubcommand(new ConsumeCommand());
            commandLine.addSubcommand(new GroupCommand());
            commandLine.addSubcommand(new ClusterCommand());
            commandLine.addSubcommand(new ConfigCommand());
            commandLine.addSubcommand(new CompletionCommand());
            commandLine.addSubcommand(new CommandLine.HelpCommand());
        }
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(new PrintWriter(terminal.out(), true, StandardCharsets.UTF_8));
        commandLine.setErr(new PrintWriter(terminal.err(), true, StandardCharsets.UTF_8));
        commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(terminal.colour() ? Ansi.ON : Ansi.OFF));
        commandLine.setParameterExceptionHandler(Borges::usageError);
        commandLine.setExecutionExceptionHandler((error, failed, parseResult) -> failure(terminal, error, failed));
        return commandLine;
    }

    public Terminal terminal() {
        return terminal;
    }

    /** {@code borges} alone: the overview, on stderr, as a usage error. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new ParameterException(spec.commandLine(), "a command is needed, like 'borges topic list'");
    }

    /**
     * A usage error: the problem in one line, suggestions for a misspelt option or command, and where
     * to read more. Exits with 2.
     */
    private static int usageError(ParameterException error, String[] args) {
        CommandLine failed = error.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("borges: " + message(error));
        UnmatchedArgumentException.printSuggestions(error, err);
        err.println("Try '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /** A failed operation: one line, a hint if there is one, the stack trace only with -v ({@code failed} may be null). */
    private static int failure(Terminal terminal, Exception error, CommandLine failed) {
        CliException cli;
        if (error instanceof CliException known) {
            cli = known;
        } else {
            ClientOptions options = clientOptions(failed);
            cli = KafkaErrors.toCli(error, options == null ? java.time.Duration.ofSeconds(10) : options.timeout());
        }
        terminal.err().println(terminal.errorRed("borges: ") + cli.getMessage());
        if (cli.hint() != null) {
            terminal.err().println(cli.hint());
        }
        ClientOptions options = clientOptions(failed);
        if (options != null && options.verbosity() > 0 && !(error instanceof CliException)) {
            error.printStackTrace(terminal.err());
        }
        terminal.err().flush();
        return cli.exitCode();
    }

    private static ClientOptions clientOptions(CommandLine command) {
        return command != null && command.getCommand() instanceof ClientCommand client ? client.options : null;
    }

    /** picocli's message, or for a stray word a plainer one: "unknown command 'lst'", "unknown option '--x'". */
    private static String message(ParameterException error) {
        if (error instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String first = unmatched.getUnmatched().get(0);
            if (first.startsWith("-")) {
                return "unknown option '" + first + "'";
            }
            if (!error.getCommandLine().getSubcommands().isEmpty()) {
                return "unknown command '" + first + "'";
            }
            return "unexpected argument '" + first + "'";
        }
        return lowerFirst(error.getMessage());
    }

    private static String lowerFirst(String message) {
        if (message == null || message.isEmpty()) {
            return "invalid command line";
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    /** {@code borges --version}: this build and the Kafka client it carries. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            return new String[] {
                "borges " + read("/borges-version.properties").getProperty("version", "(unknown version)"),
                "kafka-clients " + read("/kafka/kafka-version.properties").getProperty("version", "(unknown version)")
                    + ", Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
        }

        private static Properties read(String resource) throws IOException {
            Properties properties = new Properties();
            try (InputStream in = Borges.class.getResourceAsStream(resource)) {
                if (in != null) {
                    properties.load(in);
                }
            }
            return properties;
        }
    }
}
