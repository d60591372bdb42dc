package dev.borges.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A workload that fails or hangs becomes a one-line reason instead of ending the run. */
class WorkloadRunnerTest {

    @Test
    void returnsTheFiguresOfAWorkloadThatCompletes() throws Exception {
        Measurements measured = WorkloadRunner.run(workload(() -> new Measurements().put("x MB/s", 1.0)), "b:1", Duration.ofMinutes(1));

        assertThat(measured.figures()).containsEntry("x MB/s", 1.0);
    }

    @Test
    void reportsAFailedWorkloadWithItsCauses() {
        Workload failing = workload(() -> {
            throw new IllegalStateException("partitions: a send failed",
                new RuntimeException("Expiring 1 record(s) for many-partitions-680\nsecond line"));
        });

        assertThatThrownBy(() -> WorkloadRunner.run(failing, "b:1", Duration.ofMinutes(1)))
            .isInstanceOf(WorkloadRunner.WorkloadFailedException.class)
            .hasMessage("IllegalStateException: partitions: a send failed <- RuntimeException: Expiring 1 record(s) for many-partitions-680");
    }

    @Test
    void givesUpOnAWorkloadPastItsTimeLimitAndInterruptsIt() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        Workload hanging = workload(() -> {
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return new Measurements();
        });

        assertThatThrownBy(() -> WorkloadRunner.run(hanging, "b:1", Duration.ofMillis(200)))
            .isInstanceOf(WorkloadRunner.WorkloadFailedException.class)
            .hasMessageStartingWith("did not finish within");
        interrupted.await();
    }

    private interface Body {
        Measurements run() throws Exception;
    }

    private static Workload workload(Body body) {
        return new Workload() {
            @Override
            public String name() {
                return "test";
            }

            @Override
            public Measurements run(String bootstrap) throws Exception {
                return body.run();
            }
        };
    }
}
