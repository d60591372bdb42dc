package dev.borges.cli.topic;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code borges topic list}: the topics, with partition counts and replication factors. */
@Command(name = "list", sortOptions = false,
    description = "List the topics with partitions and replication factor.",
    footerHeading = "%nExamples:%n",
    footer = {"  borges topic list", "  borges topic list --internal --output json"})
public final class TopicListCommand extends ClientCommand {
    @Option(names = "--internal", description = "Include internal topics such as __consumer_offsets.")
    private boolean internal;

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        TreeSet<String> names = new TreeSet<>(await(connection.admin().listTopics(new ListTopicsOptions().listInternal(internal)).names()));
        Map<String, TopicDescription> descriptions = names.isEmpty() ? Map.of()
            : await(connection.admin().describeTopics(names).allTopicNames());
        List<Map<String, Object>> topics = new ArrayList<>();
        Table table = Table.of("TOPIC", "PARTITIONS>", "REPLICATION>");
        for (String name : names) {
            TopicDescription description = descriptions.get(name);
            if (description == null) {
                continue; // deleted between the two requests
            }
            int replication = description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
            Map<String, Object> topic = new LinkedHashMap<>();
            topic.put("name", name);
            topic.put("partitions", description.partitions().size());
            topic.put("replicationFactor", replication);
            topic.put("internal", description.isInternal());
            topics.add(topic);
            table.row(name, description.partitions().size(), replication);
        }
        if (json()) {
            Json.print(terminal(), Map.of("topics", topics));
        } else if (table.isEmpty()) {
            terminal().out().println("No topics yet. Create one with 'borges topic create NAME'.");
        } else {
            table.print(terminal());
        }
        return 0;
    }
}
