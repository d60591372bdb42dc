package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.borges.testkit.BorgesExtension;
import dev.borges.testkit.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code borges produce} and {@code borges consume} (without groups) through the real command. */
@ExtendWith(BorgesExtension.class)
@BorgesExtension.BrokerSettings({"auto.create.topics.enable=false"})
class ProduceConsumeIT {

    @Test
    void keyedLinesWithHeadersRoundTripInEveryFormat(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "orders").exitCode()).isZero();

        BorgesProcess.Result produced = borges.runWithInput("order-1:{\"total\": 42}\norder-2:{\"total\": 7}\n",
            "produce", "orders", "--key-separator", ":", "-H", "source=web", "-H", "trace=t1");
        assertThat(produced.exitCode()).as(produced.toString()).isZero();
        assertThat(produced.stdout()).isEqualTo("Wrote 2 records to orders.\n");

        BorgesProcess.Result values = borges.run("consume", "orders", "-e");
        assertThat(values.exitCode()).as(values.toString()).isZero();
        assertThat(values.lines()).containsExactly("{\"total\": 42}", "{\"total\": 7}");

        BorgesProcess.Result formatted = borges.run("consume", "orders", "-e", "-f", "%t/%p/%o %k => %s [%h] %K:%S\\n");
        assertThat(formatted.lines()).containsExactly("orders/0/0 order-1 => {\"total\": 42} [source=web,trace=t1] 7:13",
            "orders/0/1 order-2 => {\"total\": 7} [source=web,trace=t1] 7:12");

        List<JsonNode> json = borges.run("consume", "orders", "-e", "--output", "json").jsonLines();
        assertThat(json).hasSize(2);
        JsonNode first = json.get(0);
        assertThat(first.get("topic").asText()).isEqualTo("orders");
        assertThat(first.get("partition").asInt()).isZero();
        assertThat(first.get("offset").asLong()).isZero();
        assertThat(first.get("key").asText()).isEqualTo("order-1");
        assertThat(first.get("value").asText()).isEqualTo("{\"total\": 42}");
        assertThat(first.get("timestampType").asText()).isEqualTo("CreateTime");
        assertThat(first.get("timestamp").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(600_000L));
        assertThat(first.get("headers").get(1).get("key").asText()).isEqualTo("trace");
        assertThat(first.get("headers").get(1).get("value").asText()).isEqualTo("t1");
    }

    @Test
    void readsFromAFileIntoAPartitionWithCompressionAndAcks(EmbeddedBroker broker, @TempDir Path dir) throws Exception {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "bulk", "-p", "3").exitCode()).isZero();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            lines.append("record-").append(i).append('\n');
        }
        Path file = Files.writeString(dir.resolve("records.txt"), lines);
        for (String codec : List.of("gzip", "zstd")) {
            BorgesProcess.Result produced = borges.run("produce", "bulk", "--file", file.toString(), "--partition", "2",
                "--compression", codec, "--acks", "1", "--output", "json");
            assertThat(produced.exitCode()).as(produced.toString()).isZero();
            assertThat(produced.json().get("records").asLong()).isEqualTo(5000);
            assertThat(produced.json().get("partitions").get("2").asLong()).isEqualTo(5000);
        }
        BorgesProcess.Result counted = borges.run("consume", "bulk", "-p", "2", "-e", "-f", "%o");
        assertThat(counted.lines()).hasSize(10_000);
        assertThat(counted.lines().get(9_999)).isEqualTo("9999");
        assertThat(borges.run("consume", "bulk", "-p", "0,1", "-e").stdout()).isEmpty();
    }

    @Test
    void startsFromBeginningEndOffsetLastNOrTime(EmbeddedBroker broker) throws Exception {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "history").exitCode()).isZero();
        assertThat(borges.runWithInput("a\nb\nc\n", "produce", "history").exitCode()).isZero();
        Thread.sleep(20);
        Instant between = Instant.now();
        Thread.sleep(20);
        assertThat(borges.runWithInput("d\ne\n", "produce", "history").exitCode()).isZero();

        assertThat(borges.run("consume", "history", "-e", "--from", "beginning").lines()).containsExactly("a", "b", "c", "d", "e");
        assertThat(borges.run("consume", "history", "-e", "--from", "3").lines()).containsExactly("d", "e");
        assertThat(borges.run("consume", "history", "-e", "--from", "-2").lines()).containsExactly("d", "e");
        assertThat(borges.run("consume", "history", "-e", "--from", "-99").lines()).containsExactly("a", "b", "c", "d", "e");
        assertThat(borges.run("consume", "history", "-e", "--from", "99").lines()).isEmpty();
        assertThat(borges.run("consume", "history", "-e", "--from", between.toString()).lines()).containsExactly("d", "e");
        assertThat(borges.run("consume", "history", "-e", "--from", "@" + between.toEpochMilli()).lines()).containsExactly("d", "e");
        assertThat(borges.run("consume", "history", "-e", "--from", "end").lines()).isEmpty();
        assertThat(borges.run("consume", "history", "-n", "2").lines()).containsExactly("a", "b");
        assertThat(borges.run("consume", "history", "-n", "1", "--from", "-1").lines()).containsExactly("e");
    }

    @Test
    void consumeWithoutEndWaitsForNewRecordsUntilCount(EmbeddedBroker broker, @TempDir Path dir) throws Exception {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "live").exitCode()).isZero();
        BorgesProcess.Running reader = borges.start(dir.resolve("out"), dir.resolve("err"), "consume", "live", "--from", "end", "-n", "2");
        try {
            Thread.sleep(3000); // let it join at the end before anything is written
            assertThat(borges.runWithInput("first\nsecond\nthird\n", "produce", "live").exitCode()).isZero();
            assertThat(reader.process().waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(reader.process().exitValue()).isZero();
            assertThat(reader.stdout()).isEqualTo("first\nsecond\n");
        } finally {
            reader.process().destroyForcibly();
        }
    }

    @Test
    void reportsBadInputInOneLine(EmbeddedBroker broker) {
        BorgesProcess borges = BorgesProcess.against(broker.bootstrapServers());
        assertThat(borges.run("topic", "create", "strict", "-p", "2").exitCode()).isZero();

        BorgesProcess.Result noSeparator = borges.runWithInput("k1:v1\nno separator\nk3:v3\n", "produce", "strict", "-K:");
        assertThat(noSeparator.exitCode()).isEqualTo(1);
        assertThat(noSeparator.stdout()).isEqualTo("Wrote 1 record to strict.\n");
        assertThat(noSeparator.stderr()).startsWith("borges: stopped at line 2 has no key separator ':'");

        BorgesProcess.Result noPartition = borges.runWithInput("x\n", "produce", "strict", "-p", "5");
        assertThat(noPartition.exitCode()).isEqualTo(1);
        assertThat(noPartition.stderr()).isEqualTo("borges: topic 'strict' has 2 partitions (0-1); there is no partition 5\n");

        BorgesProcess.Result unknownProduce = borges.runWithInput("x\n", "produce", "nowhere");
        assertThat(unknownProduce.exitCode()).isEqualTo(1);
        assertThat(unknownProduce.stderr()).startsWith("borges: topic 'nowhere' does not exist\n")
            .contains("borges topic create nowhere");
        BorgesProcess.Result unknownConsume = borges.run("consume", "nowhere", "-e");
        assertThat(unknownConsume.exitCode()).isEqualTo(1);
        assertThat(unknownConsume.stderr()).startsWith("borges: topic 'nowhere' does not exist\n");

        BorgesProcess.Result missingFile = borges.run("produce", "strict", "--file", "/nonexistent/records.txt");
        assertThat(missingFile.exitCode()).isEqualTo(1);
        assertThat(missingFile.stderr()).isEqualTo("borges: cannot read /nonexistent/records.txt: no such file\n");
    }
}
