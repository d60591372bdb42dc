package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.borges.testkit.BorgesExtension;
import dev.borges.testkit.EmbeddedBroker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code borges cluster info} and {@code borges config get|set} through the real command. */
@ExtendWith(BorgesExtension.class)
class ClusterConfigIT {

    @Test
    void clusterInfoShowsIdControllerAndBrokers(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        BorgesProcess.Result info = borges.run("cluster", "info");
        assertThat(info.exitCode()).as(info.toString()).isZero();
        assertThat(info.stdout()).contains("Cluster id   " + broker.clusterId() + "\n")
            .contains("Controller   1 (127.0.0.1:" + broker.port() + ")\n")
            .contains("Brokers      1\n").contains("Version      ")
            .containsPattern("\n +1 +127\\.0\\.0\\.1 +" + broker.port() + " +-\n");

        JsonNode json = borges.run("cluster", "info", "--output", "json").json();
        assertThat(json.get("clusterId").asText()).isEqualTo(broker.clusterId());
        assertThat(json.get("controller").asInt()).isEqualTo(1);
        assertThat(json.get("brokers").get(0).get("port").asInt()).isEqualTo(broker.port());
        assertThat(json.get("features").isObject()).isTrue();
    }

    @Test
    void configGetShowsValuesWithUnitsAndSources(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "settings").exitCode()).isZero();
        BorgesProcess.Result set = borges.run("config", "set", "topic", "settings", "retention.ms=604800000", "max.message.bytes=2097152");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        assertThat(set.stdout()).isEqualTo("Updated topic 'settings': retention.ms=604800000 (7d), max.message.bytes=2097152 (2.0 MiB).\n");

        BorgesProcess.Result all = borges.run("config", "get", "topic", "settings");
        assertThat(all.stdout()).containsPattern("KEY +VALUE +SOURCE")
            .containsPattern("\nretention.ms +604800000 \\(7d\\) +topic\n")
            .containsPattern("\ncleanup.policy +delete +default\n");

        JsonNode json = borges.run("config", "get", "topic", "settings", "retention.ms", "--output", "json").json();
        assertThat(json.get("configs")).hasSize(1);
        assertThat(json.get("configs").get(0).get("value").asText()).isEqualTo("604800000");
        assertThat(json.get("configs").get(0).get("source").asText()).isEqualTo("topic");

        assertThat(borges.run("config", "set", "topic", "settings", "--delete", "retention.ms").exitCode()).isZero();
        assertThat(borges.run("config", "get", "topic", "settings", "retention.ms").stdout()).containsPattern("retention.ms +\\d+ .*default");

        BorgesProcess.Result brokerConfig = borges.run("config", "get", "broker", "1", "log.retention.hours");
        assertThat(brokerConfig.exitCode()).as(brokerConfig.toString()).isZero();
        assertThat(brokerConfig.stdout()).containsPattern("log.retention.hours +168 +default");
    }

    @Test
    void configRefusalsAreOneLine(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "guarded").exitCode()).isZero();

        BorgesProcess.Result unknownKey = borges.run("config", "set", "topic", "guarded", "no.such.setting=1");
        assertThat(unknownKey.exitCode()).isEqualTo(1);
        assertThat(unknownKey.stderr()).startsWith("borges: cannot change topic 'guarded': ").contains("no.such.setting")
            .contains("Try 'borges config set --help' for usage.");

        BorgesProcess.Result noSuchKey = borges.run("config", "get", "topic", "guarded", "no.such.setting");
        assertThat(noSuchKey.exitCode()).isEqualTo(1);
        assertThat(noSuchKey.stderr()).startsWith("borges: topic 'guarded' has no setting 'no.such.setting'\n");

        BorgesProcess.Result unknownTopic = borges.run("config", "get", "topic", "absent");
        assertThat(unknownTopic.exitCode()).isEqualTo(1);
        assertThat(unknownTopic.stderr()).startsWith("borges: topic 'absent' does not exist\n");

        // Borges does not change broker settings at run time yet; the refusal is reported as the broker gives it.
        BorgesProcess.Result brokerSet = borges.run("config", "set", "broker", "1", "log.retention.ms=1000");
        assertThat(brokerSet.exitCode()).isEqualTo(1);
        assertThat(brokerSet.stderr()).startsWith("borges: cannot change broker 1: ").doesNotContain("Exception");
    }
}
