package dev.borges.cli.topic;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.KeyValue;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.config.ConfigAlteration;
import dev.borges.cli.config.ConfigText;
import dev.borges.cli.output.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code borges topic alter TOPIC}: sets or removes settings of a topic; others stay as they are. */
@Command(name = "alter", sortOptions = false,
    description = {"Change a topic's settings.", "",
        "Settings not named stay as they are. To add partitions: 'borges topic add-partitions'."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  borges topic alter orders -c retention.ms=86400000",
        "  borges topic alter orders --delete-config retention.ms   back to the default"})
public final class TopicAlterCommand extends ClientCommand {
    @Parameters(paramLabel = "TOPIC", description = "The topic to change.")
    private String topic;

    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE", converter = KeyValue.Converter.class,
        description = "A setting to set (repeatable).")
    private List<KeyValue> configs = new ArrayList<>();

    @Option(names = "--delete-config", paramLabel = "KEY", description = "A setting to remove, so the default applies again (repeatable).")
    private List<String> deletes = new ArrayList<>();

    @Override
    protected void validate() {
        if (configs.isEmpty() && deletes.isEmpty()) {
            throw usage("nothing to change: give -c KEY=VALUE or --delete-config KEY");
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        TopicLookup.describe(connection.admin(), topic, options.timeout());
        Map<String, String> set = KeyValue.toMap(configs);
        ConfigAlteration.apply(connection.admin(), new ConfigResource(ConfigResource.Type.TOPIC, topic), set, deletes, options.timeout(),
            usageHint());
        if (json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topic", topic);
            document.put("set", set);
            document.put("deleted", deletes);
            Json.print(terminal(), document);
        } else {
            List<String> changes = new ArrayList<>();
            set.forEach((key, value) -> changes.add(key + "=" + ConfigText.withUnits(key, value)));
            deletes.forEach(key -> changes.add(key + " back to default"));
            terminal().out().println("Updated topic " + topic + ": " + String.join(", ", changes) + ".");
        }
        return 0;
    }
}
