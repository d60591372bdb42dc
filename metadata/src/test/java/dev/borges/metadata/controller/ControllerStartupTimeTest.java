package dev.borges.metadata.controller;

import static dev.borges.metadata.controller.ControllerTestContext.await;
import static dev.borges.metadata.controller.ControllerTestContext.registerBroker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records how long a controller takes from {@code start()} to its first committed write, fresh and
 * on restart. Prints figures and asserts no time (DESIGN: measure in bench, never time-assert in a
 * unit test); the first run in a JVM includes loading Ratis' classes.
 */
class ControllerStartupTimeTest {
    @TempDir
    Path dir;

    @Test
    void recordsTimeFromStartToFirstCommittedWrite() throws Exception {
        for (String run : List.of("fresh", "restart", "restart")) {
            QuorumController controller = new QuorumController(
                ControllerConfig.builder(1, dir.resolve("__cluster_metadata")).build());
            long t0 = System.nanoTime();
            controller.start();
            long started = System.nanoTime();
            registerBroker(controller, 1);
            long committed = System.nanoTime();
            await(controller.createTopics(List.of(NewTopic.of("t" + System.nanoTime(), 1, 1)), false));
            long second = System.nanoTime();
            controller.close();
            long closed = System.nanoTime();
            System.out.printf("controller %s: start() %.1f ms, first commit +%.1f ms (total %.1f ms), next write %.1f ms,"
                    + " close %.1f ms%n", run, (started - t0) / 1e6, (committed - started) / 1e6, (committed - t0) / 1e6,
                (second - committed) / 1e6, (closed - second) / 1e6);
            assertThat(controller.image().cluster().brokerIds()).containsExactly(1);
        }
    }
}
