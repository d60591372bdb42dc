package dev.borges.cli.config;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.KeyValue;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.output.Json;
import dev.borges.cli.topic.TopicLookup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code borges config set topic|broker NAME KEY=VALUE...}: IncrementalAlterConfigs; other settings stay. */
@Command(name = "set", sortOptions = false,
    description = {"Change settings of a topic or a broker.", "", "Settings not named stay as they are."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  borges config set topic orders retention.ms=86400000 cleanup.policy=compact",
        "  borges config set topic orders --delete retention.ms        back to the default",
        "  borges config set broker 1 log.retention.ms=3600000"})
public final class ConfigSetCommand extends ClientCommand {
    @Parameters(index = "0", paramLabel = "topic|broker", description = "What to change: a topic or a broker.")
    private ConfigTarget target;

    @Parameters(index = "1", paramLabel = "NAME", description = "The topic's name, or the broker's id.")
    private String name;

    @Parameters(index = "2..*", paramLabel = "KEY=VALUE", converter = KeyValue.Converter.class, description = "Settings to set.")
    private List<KeyValue> settings = new ArrayList<>();

    @Option(names = "--delete", paramLabel = "KEY", description = "A setting to remove, so its default applies again (repeatable).")
    private List<String> deletes = new ArrayList<>();

    @Override
    protected void validate() {
        if (settings.isEmpty() && deletes.isEmpty()) {
            throw usage("nothing to change: give KEY=VALUE or --delete KEY");
        }
        if (target == ConfigTarget.BROKER && !name.matches("\\d+")) {
            throw usage("a broker is named by its id (a number, see 'borges cluster info'), got '" + name + "'");
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        if (target == ConfigTarget.TOPIC) {
            TopicLookup.describe(connection.admin(), name, options.timeout());
        }
        Map<String, String> set = KeyValue.toMap(settings);
        ConfigAlteration.apply(connection.admin(), target.resource(name), set, deletes, options.timeout(), usageHint());
        if (json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("type", target.name().toLowerCase(Locale.ROOT));
            document.put("name", name);
            document.put("set", set);
            document.put("deleted", deletes);
            Json.print(terminal(), document);
        } else {
            List<String> changes = new ArrayList<>();
            set.forEach((key, value) -> changes.add(key + "=" + ConfigText.withUnits(key, value)));
            deletes.forEach(key -> changes.add(key + " back to default"));
            terminal().out().println("Updated " + ConfigAlteration.describe(target.resource(name)) + ": " + String.join(", ", changes) + ".");
        }
        return 0;
    }
}
