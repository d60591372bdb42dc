package dev.borges.cli.topic;

import dev.borges.cli.CliException;
import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.output.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code borges topic add-partitions TOPIC}: CreatePartitions. Partitions can be added, never removed. */
@Command(name = "add-partitions", sortOptions = false,
    description = {
        "Add partitions to a topic.",
        "",
        "Records already written stay where they are, so a key may map to another partition afterwards."
            + " Partitions cannot be removed."},
    footerHeading = "%nExamples:%n",
    footer = {"  borges topic add-partitions orders --to 6      6 partitions in all",
        "  borges topic add-partitions orders --count 2   2 more"})
public final class TopicAddPartitionsCommand extends ClientCommand {
    @Parameters(paramLabel = "TOPIC", description = "The topic to grow.")
    private String topic;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Amount amount;

    /** Exactly one of the two ways to say how many. */
    static final class Amount {
        @Option(names = "--to", paramLabel = "N", required = true, description = "The new total number of partitions.")
        Integer total;

        @Option(names = "--count", paramLabel = "N", required = true, description = "How many partitions to add.")
        Integer added;
    }

    @Override
    protected void validate() {
        if (amount.total != null && amount.total < 1) {
            throw usage("--to must be at least 1, got " + amount.total);
        }
        if (amount.added != null && amount.added < 1) {
            throw usage("--count must be at least 1, got " + amount.added);
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        int before = TopicLookup.describe(connection.admin(), topic, options.timeout()).partitions().size();
        int after = amount.total != null ? amount.total : before + amount.added;
        if (after <= before) {
            throw new CliException("topic '" + topic + "' already has " + before + " partitions; --to must be more than that",
                "Partitions can be added, never removed.");
        }
        try {
            connection.admin().createPartitions(Map.of(topic, NewPartitions.increaseTo(after))).all().get();
        } catch (ExecutionException e) {
            if (KafkaErrors.unwrap(e) instanceof InvalidPartitionsException invalid) {
                throw new CliException("cannot add partitions to '" + topic + "': " + KafkaErrors.toCli(invalid, options.timeout()).getMessage());
            }
            throw KafkaErrors.toCli(e, options.timeout());
        }
        if (json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topic", topic);
            document.put("partitionsBefore", before);
            document.put("partitions", after);
            Json.print(terminal(), document);
        } else {
            terminal().out().println("Topic " + topic + " now has " + after + " partitions (was " + before + ").");
        }
        return 0;
    }
}
