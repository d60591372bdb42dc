package dev.borges.cli;

import dev.borges.cli.client.BootstrapServers;
import dev.borges.cli.output.Units;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * The options every command that talks to brokers takes: where the brokers are, how long to wait
 * for them, text or JSON output, and how much of the Kafka client's logging to show. A picocli mixin,
 * so each such command lists them in its own {@code --help}; filled in by picocli before the command
 * runs, then read-only.
 */
public final class ClientOptions {
    /** How results are printed. */
    public enum OutputFormat { TEXT, JSON }

    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT[,...]",
        defaultValue = "${env:BORGES_BROKERS:-localhost:9092}", converter = BootstrapServers.Converter.class,
        description = "Brokers to connect to. Default: $BORGES_BROKERS, else localhost:9092 (now: ${DEFAULT-VALUE}).")
    private BootstrapServers bootstrap;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
        description = "How long to wait for the brokers before giving up, like 500ms, 10s, 2m. Default: ${DEFAULT-VALUE}.")
    private Duration timeout;

    @Option(names = "--output", paramLabel = "text|json", defaultValue = "text",
        description = "text: tables for people (default); json: JSON for scripts.")
    private OutputFormat output;

    @Option(names = {"-v", "--verbose"},
        description = "Show the Kafka client's log on stderr (-v: info, -vv: debug) and stack traces of errors.")
    private boolean[] verbose = new boolean[0];

    public BootstrapServers bootstrap() {
        return bootstrap;
    }

    public Duration timeout() {
        return timeout;
    }

    public boolean json() {
        return output == OutputFormat.JSON;
    }

    /** 0: quiet (warnings only, none from the Kafka client); 1: info; 2 or more: debug. */
    public int verbosity() {
        return verbose.length;
    }

    /** Parses {@link Units#parseDuration} for picocli. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration duration;
            try {
                duration = Units.parseDuration(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
            if (duration.isZero()) {
                throw new TypeConversionException("the timeout must be more than 0");
            }
            return duration;
        }
    }
}
