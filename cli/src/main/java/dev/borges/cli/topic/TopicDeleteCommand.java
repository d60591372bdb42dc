package dev.borges.cli.topic;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.output.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code borges topic delete TOPIC...}: DeleteTopics. Their records are gone for good. */
@Command(name = "delete", sortOptions = false,
    description = {"Delete topics and all their records.", "", "There is no undo."},
    footerHeading = "%nExamples:%n",
    footer = {"  borges topic delete orders", "  borges topic delete orders payments --if-exists"})
public final class TopicDeleteCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "TOPIC", description = "Topics to delete.")
    private List<String> topics;

    @Option(names = "--if-exists", description = "Succeed for topics that do not exist.")
    private boolean ifExists;

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        Map<String, KafkaFuture<Void>> results = connection.admin().deleteTopics(topics).topicNameValues();
        List<String> deleted = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String topic : topics) {
            try {
                results.get(topic).get();
                deleted.add(topic);
            } catch (ExecutionException e) {
                if (KafkaErrors.unwrap(e) instanceof UnknownTopicOrPartitionException) {
                    if (!ifExists) {
                        throw TopicLookup.missing(topic);
                    }
                    missing.add(topic);
                } else {
                    throw KafkaErrors.toCli(e, options.timeout());
                }
            }
        }
        if (json()) {
            Json.print(terminal(), Map.of("deleted", deleted, "missing", missing));
        } else {
            deleted.forEach(topic -> terminal().out().println("Deleted topic " + topic + "."));
            missing.forEach(topic -> terminal().out().println("Topic " + topic + " does not exist; nothing to delete."));
        }
        return 0;
    }
}
