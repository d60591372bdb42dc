package dev.borges.broker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.server.BrokerServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * librdkafka, through kcat (Debian's kcat 1.7.1 with librdkafka 2.0.2), against a real broker:
 * metadata listing, producing with every codec, consuming from the beginning, and the balanced
 * consumer ({@code kcat -G}) in a group that commits and resumes from its committed offsets.
 * Needs {@code kcat} on the PATH ({@code bin/test} installs it).
 */
class KcatIT {
    @TempDir
    Path dataDir;

    private BrokerServer broker;

    @BeforeEach
    void start() throws Exception {
        broker = BrokerServer.start(BrokerConfig.of(Map.of("log.dirs", dataDir.toString(), "listeners", "PLAINTEXT://127.0.0.1:0",
            "group.initial.rebalance.delay.ms", "0")));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private String bootstrap() {
        return "127.0.0.1:" + broker.port();
    }

    /** Runs kcat with {@code input} on stdin; returns stdout, failing on a non-zero exit. */
    private static String kcat(String input, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("kcat");
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kcat %s finished", command).isTrue();
        assertThat(process.exitValue()).as("kcat %s exit code", command).isZero();
        return output;
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void producesAndConsumesWithEveryCodec(String codec) throws Exception {
        String topic = "kcat-" + codec;
        kcat("k1:one\nk2:two\nk3:three\n", "-P", "-b", bootstrap(), "-t", topic, "-K:", "-z", codec);
        String consumed = kcat("", "-C", "-b", bootstrap(), "-t", topic, "-o", "beginning", "-e", "-f", "%o %k %s\n");
        assertThat(consumed.lines()).containsExactly("0 k1 one", "1 k2 two", "2 k3 three");
    }

    @Test
    void listsBrokersAndTopics() throws Exception {
        kcat("x\n", "-P", "-b", bootstrap(), "-t", "listed");
        String metadata = kcat("", "-L", "-b", bootstrap());
        assertThat(metadata).contains("1 brokers:").contains("broker 1 at 127.0.0.1:" + broker.port())
            .contains("topic \"listed\" with 1 partitions:").contains("partition 0, leader 1, replicas: 1, isrs: 1");
    }

    @Test
    void consumesRecordsProducedWhileItWaits() throws Exception {
        kcat("first\n", "-P", "-b", bootstrap(), "-t", "live");
        List<String> args = List.of("kcat", "-C", "-b", bootstrap(), "-t", "live", "-o", "beginning", "-c", "3", "-f", "%s\n");
        Process consumer = new ProcessBuilder(args).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread.sleep(500);
        kcat("second\nthird\n", "-P", "-b", bootstrap(), "-t", "live");
        String consumed = new String(consumer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(consumer.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(consumed.lines()).containsExactly("first", "second", "third");
    }

    @Test
    void balancedConsumerJoinsAGroupCommitsAndResumes() throws Exception {
        StringBuilder first = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            first.append("r").append(i).append('\n');
        }
        kcat(first.toString(), "-P", "-b", bootstrap(), "-t", "grouped");
        String consumed = kcat("", "-b", bootstrap(), "-G", "kcat-group", "-X", "auto.offset.reset=earliest", "-c", "20",
            "-f", "%s\n", "grouped");
        assertThat(consumed.lines()).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "r" + i).toList());

        kcat("r20\nr21\nr22\n", "-P", "-b", bootstrap(), "-t", "grouped");
        String resumed = kcat("", "-b", bootstrap(), "-G", "kcat-group", "-X", "auto.offset.reset=earliest", "-c", "3",
            "-f", "%s\n", "grouped");
        assertThat(resumed.lines()).as("librdkafka committed on close; the group resumes there").containsExactly("r20", "r21", "r22");
    }
}
