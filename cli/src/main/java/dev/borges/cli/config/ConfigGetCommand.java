package dev.borges.cli.config;

import dev.borges.cli.CliException;
import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Table;
import dev.borges.cli.topic.TopicLookup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code borges config get topic|broker NAME [KEY...]}: DescribeConfigs, with where each value comes from. */
@Command(name = "get", sortOptions = false,
    description = {
        "Show the settings of a topic or a broker.",
        "",
        "Each value (with human units for .ms and .bytes keys) and where it comes from: topic (set on the topic),"
            + " broker (server.properties), cluster (dynamic default), default."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  borges config get topic orders",
        "  borges config get topic orders retention.ms cleanup.policy",
        "  borges config get topic orders --changed          only what differs from the defaults",
        "  borges config get broker 1"})
public final class ConfigGetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "topic|broker", description = "What to read: a topic or a broker.")
    private ConfigTarget target;

    @Parameters(index = "1", paramLabel = "NAME", description = "The topic's name, or the broker's id.")
    private String name;

    @Parameters(index = "2..*", paramLabel = "KEY", description = "Only these settings (default: all).")
    private List<String> keys = new ArrayList<>();

    @Option(names = "--changed", description = "Only settings that differ from the defaults.")
    private boolean changed;

    @Override
    protected void validate() {
        if (target == ConfigTarget.BROKER && !name.matches("\\d+")) {
            throw usage("a broker is named by its id (a number, see 'borges cluster info'), got '" + name + "'");
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        ConfigResource resource = target.resource(name);
        if (target == ConfigTarget.TOPIC) {
            TopicLookup.describe(connection.admin(), name, options.timeout());
        }
        Config config;
        try {
            config = connection.admin().describeConfigs(List.of(resource)).all().get().get(resource);
        } catch (ExecutionException e) {
            if (KafkaErrors.unwrap(e) instanceof UnknownTopicOrPartitionException) {
                throw TopicLookup.missing(name);
            }
            throw KafkaErrors.toCli(e, options.timeout());
        }
        List<ConfigEntry> entries = new ArrayList<>(config.entries());
        entries.sort(Comparator.comparing(ConfigEntry::name));
        if (!keys.isEmpty()) {
            Map<String, ConfigEntry> byName = new LinkedHashMap<>();
            entries.forEach(entry -> byName.put(entry.name(), entry));
            entries.clear();
            for (String key : keys) {
                ConfigEntry entry = byName.get(key);
                if (entry == null) {
                    throw new CliException(ConfigAlteration.describe(resource) + " has no setting '" + key + "'", usageHint());
                }
                entries.add(entry);
            }
        }
        if (changed) {
            entries.removeIf(entry -> entry.isDefault() || entry.source() == ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        }
        if (json()) {
            List<Map<String, Object>> settings = new ArrayList<>();
            for (ConfigEntry entry : entries) {
                Map<String, Object> setting = new LinkedHashMap<>();
                setting.put("name", entry.name());
                setting.put("value", entry.isSensitive() ? null : entry.value());
                setting.put("source", source(entry.source()));
                setting.put("readOnly", entry.isReadOnly());
                setting.put("sensitive", entry.isSensitive());
                settings.add(setting);
            }
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("type", target.name().toLowerCase(Locale.ROOT));
            document.put("name", name);
            document.put("configs", settings);
            Json.print(terminal(), document);
            return 0;
        }
        Table table = Table.of("KEY", "VALUE", "SOURCE");
        for (ConfigEntry entry : entries) {
            String value = entry.isSensitive() ? "(hidden)" : ConfigText.withUnits(entry.name(), entry.value());
            table.row(entry.name(), value, source(entry.source()));
        }
        if (table.isEmpty()) {
            terminal().out().println(changed ? "All settings are at their defaults." : "No settings.");
        } else {
            table.print(terminal());
        }
        return 0;
    }

    static String source(ConfigEntry.ConfigSource source) {
        if (source == null) {
            return "unknown";
        }
        return switch (source) {
            case DYNAMIC_TOPIC_CONFIG -> "topic";
            case DYNAMIC_BROKER_CONFIG -> "broker (dynamic)";
            case DYNAMIC_DEFAULT_BROKER_CONFIG -> "cluster (dynamic)";
            case STATIC_BROKER_CONFIG -> "broker";
            case DEFAULT_CONFIG -> "default";
            default -> source.name().toLowerCase(Locale.ROOT);
        };
    }
}
