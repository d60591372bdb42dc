package dev.borges.cli.cluster;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.common.Node;
import picocli.CommandLine.Command;

/**
 * {@code borges cluster info}: cluster id, controller, brokers (DescribeCluster) and the feature
 * versions the cluster has finalized ({@code metadata.version} and friends, from ApiVersions), which
 * is what the Kafka protocol tells a client about a broker's version.
 */
@Command(name = "info", sortOptions = false,
    description = {
        "Show the cluster's id, controller, brokers and version.",
        "",
        "The version is what the Kafka protocol tells clients: the feature levels the cluster has finalized"
            + " (metadata.version and others)."},
    footerHeading = "%nExamples:%n",
    footer = {"  borges cluster info", "  borges cluster info --bootstrap broker1:9092 --output json"})
public final class ClusterInfoCommand extends ClientCommand {
    @Override
    protected int run(KafkaConnection connection) throws Exception {
        DescribeClusterResult cluster = connection.admin().describeCluster();
        String clusterId = await(cluster.clusterId());
        Node controller = await(cluster.controller());
        List<Node> brokers = new ArrayList<>(await(cluster.nodes()));
        brokers.sort(Comparator.comparingInt(Node::id));
        Map<String, String> features = features(connection);

        if (json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("clusterId", clusterId);
            document.put("controller", controller == null || controller.isEmpty() ? null : controller.id());
            document.put("brokers", brokers.stream().map(ClusterInfoCommand::toJson).toList());
            document.put("features", features);
            Json.print(terminal(), document);
            return 0;
        }
        terminal().out().println("Cluster id   " + clusterId);
        terminal().out().println("Controller   " + (controller == null || controller.isEmpty() ? "none" : describe(controller)));
        terminal().out().println("Brokers      " + brokers.size());
        terminal().out().println("Version      " + (features.isEmpty() ? "no finalized features reported" : String.join(", ",
            features.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())));
        terminal().out().println();
        Table table = Table.of("BROKER>", "HOST", "PORT>", "RACK");
        for (Node broker : brokers) {
            table.row(broker.id(), broker.host(), broker.port(), broker.hasRack() ? broker.rack() : null);
        }
        table.print(terminal());
        return 0;
    }

    /** Finalized feature levels ({@code metadata.version=27}); empty if the cluster reports none. */
    private Map<String, String> features(KafkaConnection connection) throws InterruptedException {
        Map<String, String> features = new TreeMap<>();
        try {
            FeatureMetadata metadata = connection.admin().describeFeatures().featureMetadata().get();
            metadata.finalizedFeatures().forEach((name, range) -> features.put(name, levels(range.minVersionLevel(), range.maxVersionLevel())));
        } catch (ExecutionException e) {
            // an older broker: the version stays unknown, the rest is still worth showing
        }
        return features;
    }

    private static String levels(short min, short max) {
        return min == max ? Short.toString(max) : min + "-" + max;
    }

    private static String describe(Node node) {
        return node.id() + " (" + node.host() + ":" + node.port() + ")";
    }

    private static Map<String, Object> toJson(Node node) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", node.id());
        json.put("host", node.host());
        json.put("port", node.port());
        json.put("rack", node.hasRack() ? node.rack() : null);
        return json;
    }
}
