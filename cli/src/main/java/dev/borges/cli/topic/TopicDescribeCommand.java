package dev.borges.cli.topic;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.config.ConfigText;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Table;
import dev.borges.cli.output.Terminal;
import dev.borges.cli.output.Units;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code borges topic describe [TOPIC...]}: per partition the leader, replicas, in-sync replicas,
 * first and next offset, record count and size on disk; per topic its own settings and totals.
 */
@Command(name = "describe", sortOptions = false,
    description = {
        "Show topics partition by partition: leaders, offsets, size.",
        "",
        "Per partition: leader, replicas, in-sync replicas (ISR), start and end offsets, records (end - start)"
            + " and size on disk; per topic the settings set on it and totals. With no TOPIC, every topic."},
    footerHeading = "%nExamples:%n",
    footer = {"  borges topic describe orders", "  borges topic describe orders --output json"})
public final class TopicDescribeCommand extends ClientCommand {
    @Parameters(arity = "0..*", paramLabel = "TOPIC", description = "Topics to describe (default: all but internal ones).")
    private List<String> topics = new ArrayList<>();

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        List<String> names = topics.isEmpty() ? new ArrayList<>(new TreeSet<>(await(connection.admin().listTopics().names()))) : topics;
        Map<String, TopicDescription> descriptions = TopicLookup.describe(connection.admin(), names, options.timeout());
        TopicDetails details = TopicDetails.load(connection.admin(), descriptions);
        if (json()) {
            Json.print(terminal(), Map.of("topics", details.topics().stream().map(TopicDescribeCommand::toJson).toList()));
            return 0;
        }
        if (details.topics().isEmpty()) {
            terminal().out().println("No topics yet. Create one with 'borges topic create NAME'.");
        }
        boolean first = true;
        for (TopicDetails.Topic topic : details.topics()) {
            if (!first) {
                terminal().out().println();
            }
            first = false;
            print(terminal(), topic);
        }
        return 0;
    }

    private static void print(Terminal terminal, TopicDetails.Topic topic) {
        PrintStream out = terminal.out();
        Long size = topic.sizeBytes();
        out.println(terminal.bold("Topic " + topic.name()) + "  " + topic.partitions().size()
            + (topic.partitions().size() == 1 ? " partition" : " partitions") + ", replication factor " + topic.replicationFactor()
            + ", " + Units.count(topic.records()) + " records" + (size == null ? "" : ", " + Units.bytes(size) + " on disk"
            + (topic.replicationFactor() > 1 ? " per replica" : ""))
            + (topic.internal() ? " (internal)" : ""));
        if (topic.id() != null) {
            out.println("Id       " + topic.id());
        }
        out.println("Configs  " + (topic.configs().isEmpty() ? "(broker defaults)" : topic.configs().entrySet().stream()
            .map(e -> e.getKey() + "=" + ConfigText.withUnits(e.getKey(), e.getValue())).collect(Collectors.joining(", "))));
        out.println();
        Table table = Table.of("PARTITION>", "LEADER>", "REPLICAS", "ISR", "START>", "END>", "RECORDS>", "SIZE>");
        for (TopicDetails.Partition partition : topic.partitions()) {
            table.row(partition.partition(), partition.leader() == null ? "none" : partition.leader(), ids(partition.replicas()),
                ids(partition.isr()), count(partition.startOffset()), count(partition.endOffset()), count(partition.records()),
                partition.sizeBytes() == null ? null : Units.bytes(partition.sizeBytes()));
        }
        if (topic.partitions().size() > 1) {
            table.totals("total", "", "", "", "", "", Units.count(topic.records()), size == null ? null : Units.bytes(size));
        }
        table.print(terminal);
    }

    private static String ids(List<Integer> ids) {
        return ids.isEmpty() ? "none" : ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static String count(Long value) {
        return value == null ? null : Units.count(value);
    }

    private static Map<String, Object> toJson(TopicDetails.Topic topic) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", topic.name());
        json.put("id", topic.id());
        json.put("internal", topic.internal());
        json.put("replicationFactor", topic.replicationFactor());
        json.put("configs", topic.configs());
        json.put("records", topic.records());
        json.put("sizeBytes", topic.sizeBytes());
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (TopicDetails.Partition partition : topic.partitions()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("partition", partition.partition());
            p.put("leader", partition.leader());
            p.put("replicas", partition.replicas());
            p.put("isr", partition.isr());
            p.put("startOffset", partition.startOffset());
            p.put("endOffset", partition.endOffset());
            p.put("records", partition.records());
            p.put("sizeBytes", partition.sizeBytes());
            partitions.add(p);
        }
        json.put("partitions", partitions);
        return json;
    }
}
