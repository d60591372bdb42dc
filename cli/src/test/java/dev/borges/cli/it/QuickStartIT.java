package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's quick start, run as written: its console blocks in order, each command through bash
 * in the repository's root, with {@code localhost:9092} replaced by a free port, and what each prints
 * checked against the README. The first block starts the broker the others talk to; the third needs
 * it to serve consumer groups.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class QuickStartIT {
    private static List<List<ConsoleBlocks.Step>> blocks;
    private static String address;
    private static BorgesProcess.Running server;

    @BeforeAll
    static void readTheQuickStartAndStartItsBroker(@TempDir Path dir) throws Exception {
        blocks = QuickStart.blocks();
        try (ServerSocket socket = new ServerSocket(0)) {
            address = "127.0.0.1:" + socket.getLocalPort();
        }
        ConsoleBlocks.Step start = blocks.get(0).get(0).replace(QuickStart.README_ADDRESS, address);
        assertThat(start.command()).isEqualTo("bin/borges server");
        List<String> args = new ArrayList<>(List.of(start.command().substring("bin/borges ".length()).split(" ")));
        args.addAll(List.of("--override", "listeners=PLAINTEXT://" + address, "--override", "log.dirs=" + dir.resolve("data")));
        server = BorgesProcess.against(address).start(dir.resolve("server.out"), dir.resolve("server.err"), args.toArray(String[]::new));
        server.awaitStdout("Ctrl-C stops it", Duration.ofSeconds(60));
    }

    @AfterAll
    static void stopTheBroker() throws InterruptedException {
        if (server != null) {
            server.terminate();
        }
    }

    @Test
    @Order(1)
    void theServerSaysWhereItListensAndKeepsData() throws IOException {
        ConsoleBlocks.Step start = blocks.get(0).get(0).replace(QuickStart.README_ADDRESS, address);
        assertThat(start.missingFrom(server.stdout())).as(server.stdout()).isEmpty();
    }

    @Test
    @Order(2)
    void topicsRecordsAndDescribeRunAsWritten() {
        QuickStart.runAsWritten(blocks.get(1), address);
    }

    @Test
    @Order(3)
    void consumerGroupsAndLagRunAsWritten() {
        QuickStart.runAsWritten(blocks.get(2), address);
    }
}
