package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.borges.testkit.BorgesExtension;
import dev.borges.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code borges group ...} and {@code borges consume --group} through the real command: commits,
 * lag, resets (dry run, then --execute), refusals while a group is active, deletion.
 *
 * <p>Needs a broker that serves consumer groups. {@code -Dborges.it.bootstrap=host:port} runs these
 * tests against another broker (Apache Kafka, say) instead of the testkit one; topic and group names
 * are unique per run so that works on a broker that keeps them.
 */
@ExtendWith(BorgesExtension.class)
@BorgesExtension.BrokerSettings({"group.initial.rebalance.delay.ms=0"})
class GroupCommandIT {
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    @Test
    void consumingAsAGroupCommitsAndDescribeShowsTheLag(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(bootstrap(broker));
        String topic = "orders-" + suffix;
        String group = "billing-" + suffix;
        assertThat(borges.run("topic", "create", topic, "-p", "3").exitCode()).isZero();
        assertThat(borges.runWithInput("order-1:a\norder-2:b\norder-3:c\n", "produce", topic, "-K:").exitCode()).isZero();

        BorgesProcess.Result read = borges.run("consume", topic, "--group", group, "-e");
        assertThat(read.exitCode()).as(read.toString()).isZero();
        assertThat(read.lines()).containsExactlyInAnyOrder("a", "b", "c");

        BorgesProcess.Result caughtUp = borges.run("group", "describe", group);
        assertThat(caughtUp.exitCode()).as(caughtUp.toString()).isZero();
        assertThat(caughtUp.stdout()).startsWith("Group " + group + "  Empty, 0 members, total lag 0")
            .containsPattern("\n" + topic + " +0 +2 +2 +0 +- +- +-\n")
            .containsPattern("\n" + topic + " +1 +1 +1 +0 ")
            .containsPattern("\n" + topic + " +2 +0 +0 +0 ");

        // order-4 and order-5 both hash to partition 2 of 3.
        assertThat(borges.runWithInput("order-4:d\norder-5:e\n", "produce", topic, "-K:").exitCode()).isZero();
        BorgesProcess.Result behind = borges.run("group", "describe", group);
        assertThat(behind.stdout()).contains("total lag 2").containsPattern("\n" + topic + " +2 +0 +2 +2 ")
            .containsPattern("\ntotal +2\n");
        JsonNode json = borges.run("group", "describe", group, "--output", "json").json().get("groups").get(0);
        assertThat(json.get("group").asText()).isEqualTo(group);
        assertThat(json.get("state").asText()).isEqualTo("Empty");
        assertThat(json.get("totalLag").asLong()).isEqualTo(2);
        JsonNode partition2 = json.get("partitions").get(2);
        assertThat(partition2.get("partition").asInt()).isEqualTo(2);
        assertThat(partition2.get("committedOffset").asLong()).isZero();
        assertThat(partition2.get("endOffset").asLong()).isEqualTo(2);
        assertThat(partition2.get("lag").asLong()).isEqualTo(2);

        BorgesProcess.Result list = borges.run("group", "list");
        assertThat(list.stdout()).containsPattern("\n" + group + " +\\w+ +Empty\n");
        boolean listed = false;
        for (JsonNode each : borges.run("group", "list", "--output", "json").json().get("groups")) {
            listed |= each.get("group").asText().equals(group) && each.get("state").asText().equals("Empty");
        }
        assertThat(listed).isTrue();
    }

    @Test
    void aGroupResumesWhereItLeftOff(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(bootstrap(broker));
        String topic = "resume-" + suffix;
        String group = "resumer-" + suffix;
        assertThat(borges.run("topic", "create", topic).exitCode()).isZero();
        assertThat(borges.runWithInput("1\n2\n3\n4\n", "produce", topic).exitCode()).isZero();
        assertThat(borges.run("consume", topic, "--group", group, "-n", "1").lines()).containsExactly("1");
        assertThat(borges.run("consume", topic, "--group", group, "-n", "2").lines()).containsExactly("2", "3");
        assertThat(borges.run("consume", topic, "--group", group, "-e").lines()).containsExactly("4");
        assertThat(borges.run("consume", topic, "--group", group, "-e").lines()).isEmpty();
        assertThat(borges.run("consume", topic, "--group", "late-" + suffix, "--from", "end", "-e").lines()).isEmpty();
    }

    @Test
    void resetOffsetsShowsThePlanAndChangesOnlyWithExecute(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(bootstrap(broker));
        String topic = "replay-" + suffix;
        String group = "replayer-" + suffix;
        assertThat(borges.run("topic", "create", topic).exitCode()).isZero();
        assertThat(borges.runWithInput("a\nb\nc\nd\n", "produce", topic).exitCode()).isZero();
        assertThat(borges.run("consume", topic, "--group", group, "-e").exitCode()).isZero();

        BorgesProcess.Result plan = borges.run("group", "reset-offsets", group, "--to-earliest");
        assertThat(plan.exitCode()).as(plan.toString()).isZero();
        assertThat(plan.stdout()).containsPattern("TOPIC +PARTITION +CURRENT +NEW\n" + topic + " +0 +4 +0\n")
            .contains("Dry run: nothing changed. Add --execute to apply.");
        assertThat(borges.run("group", "describe", group).stdout()).contains("total lag 0");

        BorgesProcess.Result executed = borges.run("group", "reset-offsets", group, "--to-offset", "1", "--execute");
        assertThat(executed.exitCode()).as(executed.toString()).isZero();
        assertThat(executed.stdout()).contains("Reset the offsets of group " + group + " on 1 partition.");
        assertThat(borges.run("consume", topic, "--group", group, "-e").lines()).containsExactly("b", "c", "d");

        JsonNode latest = borges.run("group", "reset-offsets", group, "--topic", topic, "--to-datetime", "2000-01-01", "--output",
            "json").json();
        assertThat(latest.get("executed").asBoolean()).isFalse();
        assertThat(latest.get("partitions").get(0).get("currentOffset").asLong()).isEqualTo(4);
        assertThat(latest.get("partitions").get(0).get("newOffset").asLong()).isZero();

        String fresh = "fresh-" + suffix;
        assertThat(borges.run("group", "reset-offsets", fresh, "--topic", topic, "--to-latest", "--execute").exitCode()).isZero();
        assertThat(borges.run("group", "describe", fresh).stdout()).containsPattern("\n" + topic + " +0 +4 +4 +0 ");

        BorgesProcess.Result nothing = borges.run("group", "reset-offsets", "nobody-" + suffix, "--to-earliest");
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.stderr()).startsWith("borges: consumer group 'nobody-" + suffix + "' has no committed offsets to reset\n");
    }

    @Test
    void anActiveGroupCannotBeMovedOrDeleted(EmbeddedBroker broker, @TempDir Path dir) throws Exception {
        BorgesProcess borges = BorgesProcess.against(bootstrap(broker));
        String topic = "busy-" + suffix;
        String group = "busy-" + suffix;
        assertThat(borges.run("topic", "create", topic).exitCode()).isZero();
        assertThat(borges.runWithInput("a\n", "produce", topic).exitCode()).isZero();
        BorgesProcess.Running member = borges.start(dir.resolve("out"), dir.resolve("err"), "consume", topic, "--group", group);
        try {
            member.awaitStdout("a\n", Duration.ofSeconds(60));
            BorgesProcess.Result describe = borges.run("group", "describe", group);
            assertThat(describe.stdout()).contains("Stable, 1 member").containsPattern("\n" + topic + " +0 +1 +1 +0 +borges-\\S+ +/\\S+ +borges\n");

            BorgesProcess.Result reset = borges.run("group", "reset-offsets", group, "--to-earliest", "--execute");
            assertThat(reset.exitCode()).isEqualTo(1);
            assertThat(reset.stderr()).startsWith("borges: consumer group '" + group + "' is Stable with 1 active member(s)");

            BorgesProcess.Result delete = borges.run("group", "delete", group);
            assertThat(delete.exitCode()).isEqualTo(1);
            assertThat(delete.stderr()).startsWith("borges: consumer group '" + group + "' has active members; stop its consumers first\n");
        } finally {
            member.terminate(); // SIGTERM: the consumer commits and leaves the group
        }
        assertThat(borges.run("group", "describe", group).stdout()).contains("Empty, 0 members");
        BorgesProcess.Result deleted = borges.run("group", "delete", group);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.stdout()).isEqualTo("Deleted consumer group " + group + ".\n");

        BorgesProcess.Result gone = borges.run("group", "describe", group);
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stderr()).startsWith("borges: consumer group '" + group + "' does not exist\n");
    }

    private static String bootstrap(EmbeddedBroker broker) {
        return System.getProperty("borges.it.bootstrap", broker.bootstrapServers());
    }
}
