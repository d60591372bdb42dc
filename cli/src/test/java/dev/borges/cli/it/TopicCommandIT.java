package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.borges.testkit.BorgesExtension;
import dev.borges.testkit.EmbeddedBroker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code borges topic ...} against a broker, through the real command. */
@ExtendWith(BorgesExtension.class)
@BorgesExtension.BrokerSettings({"auto.create.topics.enable=false"})
class TopicCommandIT {

    @Test
    void createsListsAndDescribesATopicWithItsOffsetsAndSize(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        BorgesProcess.Result created = borges.run("topic", "create", "orders", "--partitions", "3", "-c", "retention.ms=86400000");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        assertThat(created.stdout()).isEqualTo("Created topic orders: 3 partitions, replication factor 1, retention.ms=86400000.\n");

        BorgesProcess.Result list = borges.run("topic", "list");
        assertThat(list.lines()).containsExactly("TOPIC   PARTITIONS  REPLICATION", "orders           3            1");

        BorgesProcess.Result produced = borges.runWithInput("a\nb\nc\nd\n", "produce", "orders", "--partition", "1");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();

        BorgesProcess.Result described = borges.run("topic", "describe", "orders");
        assertThat(described.exitCode()).as(described.toString()).isZero();
        assertThat(described.stdout()).contains("Topic orders  3 partitions, replication factor 1, 4 records")
            .contains("Configs  retention.ms=86400000 (1d)")
            .containsPattern("PARTITION +LEADER +REPLICAS +ISR +START +END +RECORDS +SIZE")
            .containsPattern("\n +1 +1 +1 +1 +0 +4 +4 +\\d+ B\n")
            .containsPattern("\n +0 +1 +1 +1 +0 +0 +0 +0 B\n")
            .containsPattern("\n +total +4 +\\d+ B\n");

        JsonNode json = borges.run("topic", "describe", "orders", "--output", "json").json();
        JsonNode topic = json.get("topics").get(0);
        assertThat(topic.get("name").asText()).isEqualTo("orders");
        assertThat(topic.get("records").asLong()).isEqualTo(4);
        assertThat(topic.get("configs").get("retention.ms").asText()).isEqualTo("86400000");
        JsonNode partition1 = topic.get("partitions").get(1);
        assertThat(partition1.get("leader").asInt()).isEqualTo(1);
        assertThat(partition1.get("isr").get(0).asInt()).isEqualTo(1);
        assertThat(partition1.get("startOffset").asLong()).isZero();
        assertThat(partition1.get("endOffset").asLong()).isEqualTo(4);
        assertThat(partition1.get("sizeBytes").asLong()).isPositive();
        assertThat(topic.get("sizeBytes").asLong()).isEqualTo(partition1.get("sizeBytes").asLong());
    }

    @Test
    void listsAsJson(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "listed", "-p", "2").exitCode()).isZero();
        JsonNode topics = borges.run("topic", "list", "--output", "json").json().get("topics");
        List<String> names = new ArrayList<>();
        topics.forEach(t -> names.add(t.get("name").asText()));
        assertThat(names).contains("listed");
        topics.forEach(t -> {
            if (t.get("name").asText().equals("listed")) {
                assertThat(t.get("partitions").asInt()).isEqualTo(2);
                assertThat(t.get("replicationFactor").asInt()).isEqualTo(1);
            }
        });
    }

    @Test
    void altersSettingsAndAddsPartitions(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "growing").exitCode()).isZero();

        BorgesProcess.Result altered = borges.run("topic", "alter", "growing", "-c", "retention.ms=3600000", "-c", "cleanup.policy=compact");
        assertThat(altered.exitCode()).as(altered.toString()).isZero();
        assertThat(altered.stdout()).contains("retention.ms=3600000 (1h)").contains("cleanup.policy=compact");
        assertThat(borges.run("config", "get", "topic", "growing", "--changed").stdout())
            .containsPattern("cleanup.policy +compact +topic").containsPattern("retention.ms +3600000 \\(1h\\) +topic");

        assertThat(borges.run("topic", "alter", "growing", "--delete-config", "retention.ms").exitCode()).isZero();
        assertThat(borges.run("config", "get", "topic", "growing", "--changed").stdout()).doesNotContain("retention.ms");

        BorgesProcess.Result grown = borges.run("topic", "add-partitions", "growing", "--to", "4");
        assertThat(grown.stdout()).isEqualTo("Topic growing now has 4 partitions (was 1).\n");
        BorgesProcess.Result more = borges.run("topic", "add-partitions", "growing", "--count", "2", "--output", "json");
        assertThat(more.json().get("partitions").asInt()).isEqualTo(6);

        BorgesProcess.Result shrink = borges.run("topic", "add-partitions", "growing", "--to", "2");
        assertThat(shrink.exitCode()).isEqualTo(1);
        assertThat(shrink.stderr()).startsWith("borges: topic 'growing' already has 6 partitions");
    }

    @Test
    void deletesTopics(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "doomed").exitCode()).isZero();
        BorgesProcess.Result deleted = borges.run("topic", "delete", "doomed");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.stdout()).isEqualTo("Deleted topic doomed.\n");
        assertThat(borges.run("topic", "list").stdout()).doesNotContain("doomed");

        BorgesProcess.Result again = borges.run("topic", "delete", "doomed");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).startsWith("borges: topic 'doomed' does not exist\n");
        assertThat(borges.run("topic", "delete", "doomed", "--if-exists").exitCode()).isZero();
    }

    @Test
    void refusesDuplicatesUnknownTopicsAndInvalidSettingsInOneLine(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "twice").exitCode()).isZero();
        BorgesProcess.Result duplicate = borges.run("topic", "create", "twice");
        assertThat(duplicate.exitCode()).isEqualTo(1);
        assertThat(duplicate.stderr()).startsWith("borges: topic 'twice' already exists\n").contains("--if-not-exists");
        assertThat(borges.run("topic", "create", "twice", "--if-not-exists").exitCode()).isZero();

        BorgesProcess.Result unknown = borges.run("topic", "describe", "missing");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).startsWith("borges: topic 'missing' does not exist\n").contains("borges topic list");

        BorgesProcess.Result badKey = borges.run("topic", "create", "bad", "-c", "retention.msx=5");
        assertThat(badKey.exitCode()).isEqualTo(1);
        assertThat(badKey.stderr()).startsWith("borges: cannot create topic 'bad': ").contains("retention.msx")
            .contains("Try 'borges topic create --help' for usage.").doesNotContain("Exception");

        BorgesProcess.Result badValue = borges.run("topic", "alter", "twice", "-c", "retention.ms=soon");
        assertThat(badValue.exitCode()).isEqualTo(1);
        assertThat(badValue.stderr()).startsWith("borges: cannot change topic 'twice': ").contains("retention.ms")
            .contains("Try 'borges topic alter --help' for usage.");

        BorgesProcess.Result malformed = borges.run("topic", "create", "bad", "-c", "retention.ms");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.stderr()).contains("expected key=value, got 'retention.ms'");
    }
}
