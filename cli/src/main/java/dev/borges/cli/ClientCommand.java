package dev.borges.cli;

import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.output.Terminal;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaFuture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that talks to brokers through kafka-clients (everything but {@code server},
 * {@code completion} and {@code help}). Picocli fills in the options and calls {@link #call()},
 * which checks the options that depend on each other ({@link #validate()}, usage errors exit with 2
 * before any connection is tried), sets up logging, connects ({@link KafkaConnection#open}) and
 * runs the command. Failures propagate to {@link Borges}, which reports them in one line.
 *
 * <p>One instance per run, on the main thread.
 */
public abstract class ClientCommand implements Callable<Integer> {
    @ArgGroup(validate = false, heading = "%nConnection and output:%n", order = 1000)
    protected ClientOptions options = new ClientOptions();

    @Mixin
    private HelpOption help;

    @Spec
    protected CommandSpec spec;

    @Override
    public final Integer call() throws Exception {
        validate();
        Logging.verbosity(options.verbosity());
        try (KafkaConnection connection = KafkaConnection.open(options.bootstrap(), options.timeout())) {
            return run(connection);
        }
    }

    /** Checks options against each other; throws {@link #usage} for a bad combination. */
    protected void validate() {
    }

    /** Runs the command; returns the exit code. */
    protected abstract int run(KafkaConnection connection) throws Exception;

    protected Terminal terminal() {
        return ((Borges) spec.root().userObject()).terminal();
    }

    protected boolean json() {
        return options.json();
    }

    /** Waits for a Kafka client's answer; a failure becomes a {@link CliException} (exit code 1). */
    protected <T> T await(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw KafkaErrors.toCli(e, options.timeout());
        }
    }

    /** "Try 'borges topic create --help' for usage." */
    protected String usageHint() {
        return "Try '" + spec.qualifiedName() + " --help' for usage.";
    }

    /** A usage error of this command (exit code 2, with the hint to its --help). */
    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
