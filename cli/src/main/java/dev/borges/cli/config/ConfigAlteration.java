package dev.borges.cli.config;

import dev.borges.cli.CliException;
import dev.borges.cli.client.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Sets and removes settings of one topic or broker with IncrementalAlterConfigs, so settings not
 * named stay as they are (the older AlterConfigs would replace them all). Shared by
 * {@code borges topic alter} and {@code borges config set}. Stateless.
 */
public final class ConfigAlteration {
    private ConfigAlteration() {
    }

    /**
     * Applies {@code set} and {@code delete} to {@code resource} in one request.
     *
     * @param usageHint where to read about the command, shown after an invalid key or value
     * @throws CliException naming the resource and the broker's reason if it refused
     */
    public static void apply(Admin admin, ConfigResource resource, Map<String, String> set, Collection<String> delete, Duration timeout,
                             String usageHint) throws InterruptedException {
        List<AlterConfigOp> ops = new ArrayList<>();
        set.forEach((key, value) -> ops.add(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
        delete.forEach(key -> ops.add(new AlterConfigOp(new ConfigEntry(key, null), AlterConfigOp.OpType.DELETE)));
        try {
            admin.incrementalAlterConfigs(Map.of(resource, ops)).all().get();
        } catch (ExecutionException e) {
            Throwable cause = KafkaErrors.unwrap(e);
            String what = describe(resource);
            if (cause instanceof UnknownTopicOrPartitionException) {
                throw new CliException(what + " does not exist", "Run 'borges topic list' to see the topics.");
            }
            if (cause instanceof InvalidConfigurationException) {
                throw new CliException("cannot change " + what + ": " + KafkaErrors.toCli(cause, timeout).getMessage(), usageHint);
            }
            CliException failure = KafkaErrors.toCli(e, timeout);
            throw new CliException("cannot change " + what + ": " + failure.getMessage(), failure.hint());
        }
    }

    /** "topic 'orders'", "broker 1". */
    public static String describe(ConfigResource resource) {
        return switch (resource.type()) {
            case TOPIC -> "topic '" + resource.name() + "'";
            case BROKER -> resource.name().isEmpty() ? "the cluster's broker defaults" : "broker " + resource.name();
            default -> resource.type().name().toLowerCase(java.util.Locale.ROOT) + " '" + resource.name() + "'";
        };
    }
}
