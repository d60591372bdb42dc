package dev.borges.cli.client;

import dev.borges.cli.CliException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.UnsupportedVersionException;

/**
 * Turns what kafka-clients throws into one line for people. Kafka's errors arrive wrapped
 * ({@code ExecutionException} from a {@code KafkaFuture}, {@code KafkaException} around a cause);
 * the broker's own message, when it sent one, says best what went wrong, so it is kept. Stateless.
 */
public final class KafkaErrors {
    /** kafka-clients' "The node does not support LIST_GROUPS". */
    private static final java.util.regex.Pattern UNSUPPORTED_API = java.util.regex.Pattern.compile("does not support ([A-Z_]+)");

    private KafkaErrors() {
    }

    /** The innermost exception worth reporting. */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof ExecutionException || current instanceof CompletionException
            || (current instanceof KafkaException && !(current instanceof ApiException) && current.getCause() != null))
            && current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    /** A {@link CliException} for {@code error}, which happened while waiting at most {@code timeout}. */
    public static CliException toCli(Throwable error, Duration timeout) {
        Throwable cause = unwrap(error);
        if (cause instanceof CliException cli) {
            return cli;
        }
        if (cause instanceof TimeoutException) {
            return new CliException("the broker did not answer within " + dev.borges.cli.output.Units.millis(timeout.toMillis())
                + " (" + sentence(cause.getMessage()) + ")", "Try a longer --timeout, or check the broker's advertised listeners.");
        }
        if (cause instanceof UnsupportedVersionException) {
            java.util.regex.Matcher api = UNSUPPORTED_API.matcher(String.valueOf(cause.getMessage()));
            return new CliException(api.find() ? "the broker does not support " + api.group(1) + ", which this command needs"
                : "the broker does not support this operation: " + sentence(cause.getMessage()));
        }
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new CliException(sentence(cause.getMessage()), "Run 'borges topic list' to see the topics.");
        }
        return new CliException(sentence(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
    }

    /** {@code "Topic 'x' already exists."} → {@code "topic 'x' already exists"}: one line, no final stop. */
    static String sentence(String message) {
        if (message == null || message.isBlank()) {
            return "no details";
        }
        String line = message.strip().replace('\n', ' ');
        if (line.endsWith(".")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.length() > 1 && Character.isUpperCase(line.charAt(0)) && !Character.isUpperCase(line.charAt(1))) {
            line = Character.toLowerCase(line.charAt(0)) + line.substring(1);
        }
        return line;
    }
}
