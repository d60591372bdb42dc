package dev.borges.cli.topic;

import dev.borges.cli.CliException;
import dev.borges.cli.ClientCommand;
import dev.borges.cli.KeyValue;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.output.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.InvalidConfigurationException;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code borges topic create TOPIC}: CreateTopics, with the broker's defaults for what is not given. */
@Command(name = "create", sortOptions = false,
    description = {"Create a topic.", "",
        "Partitions and replication factor default to the broker's num.partitions and default.replication.factor."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  borges topic create orders",
        "  borges topic create orders --partitions 6 --replication-factor 3",
        "  borges topic create audit -c retention.ms=604800000 -c cleanup.policy=compact"})
public final class TopicCreateCommand extends ClientCommand {
    @Parameters(paramLabel = "TOPIC", description = "The topic's name: letters, digits, '.', '_' and '-'.")
    private String topic;

    @Option(names = {"-p", "--partitions"}, paramLabel = "N", description = "Number of partitions.")
    private Integer partitions;

    @Option(names = {"-r", "--replication-factor"}, paramLabel = "N", description = "Copies of each partition, on different brokers.")
    private Short replicationFactor;

    @Option(names = {"-c", "--config"}, paramLabel = "KEY=VALUE", converter = KeyValue.Converter.class,
        description = "A topic setting (repeatable), e.g. -c retention.ms=86400000. 'borges config get topic T' lists them.")
    private List<KeyValue> configs = new ArrayList<>();

    @Option(names = "--if-not-exists", description = "Succeed without change if the topic already exists.")
    private boolean ifNotExists;

    @Override
    protected void validate() {
        if (partitions != null && partitions < 1) {
            throw usage("--partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor != null && replicationFactor < 1) {
            throw usage("--replication-factor must be at least 1, got " + replicationFactor);
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        Map<String, String> settings = KeyValue.toMap(configs);
        NewTopic newTopic = new NewTopic(topic, Optional.ofNullable(partitions), Optional.ofNullable(replicationFactor))
            .configs(settings);
        CreateTopicsResult result = connection.admin().createTopics(List.of(newTopic));
        boolean created = true;
        try {
            result.all().get();
        } catch (ExecutionException e) {
            Throwable cause = KafkaErrors.unwrap(e);
            if (cause instanceof TopicExistsException && ifNotExists) {
                created = false;
            } else if (cause instanceof TopicExistsException) {
                throw new CliException("topic '" + topic + "' already exists", "Add --if-not-exists to accept an existing topic.");
            } else if (cause instanceof InvalidConfigurationException || cause instanceof InvalidTopicException
                || cause instanceof InvalidPartitionsException || cause instanceof InvalidReplicationFactorException) {
                throw new CliException("cannot create topic '" + topic + "': " + KafkaErrors.toCli(cause, options.timeout()).getMessage(),
                    usageHint());
            } else {
                throw KafkaErrors.toCli(e, options.timeout());
            }
        }
        Integer actualPartitions = created ? orNull(result, true) : null;
        Integer actualReplication = created ? orNull(result, false) : null;
        if (json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topic", topic);
            document.put("created", created);
            document.put("partitions", actualPartitions);
            document.put("replicationFactor", actualReplication);
            document.put("configs", settings);
            Json.print(terminal(), document);
        } else if (created) {
            StringBuilder line = new StringBuilder("Created topic " + topic);
            if (actualPartitions != null) {
                line.append(": ").append(actualPartitions).append(actualPartitions == 1 ? " partition" : " partitions");
                line.append(", replication factor ").append(actualReplication);
            }
            if (!settings.isEmpty()) {
                line.append(", ").append(String.join(", ", configs.stream().map(KeyValue::toString).toList()));
            }
            terminal().out().println(line.append('.'));
        } else {
            terminal().out().println("Topic " + topic + " already exists; nothing changed.");
        }
        return 0;
    }

    /** What the broker chose, when it says (CreateTopics v5 and later); else null. */
    private Integer orNull(CreateTopicsResult result, boolean partitionCount) {
        try {
            return partitionCount ? result.numPartitions(topic).get() : result.replicationFactor(topic).get();
        } catch (ExecutionException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
