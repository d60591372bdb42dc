package dev.borges.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The harness's smoke run ({@code --smoke}: Borges only, tiny sizes, a few seconds): every workload
 * completes against a Borges process and reports its figures. Speed is not asserted.
 */
class SideBySideSmokeIT {

    @Test
    void smokeRunCompletesEveryWorkloadAgainstBorges() throws Exception {
        SideBySideResults results = SideBySide.run(HarnessOptions.parse(new String[] {"--smoke"}));

        assertThat(results.failures()).as("failed steps").isEmpty();
        String table = results.table();
        for (String metric : new String[] {"startup ms", "produce MB/s", "consume MB/s", "produce tuned MB/s",
            "produce txn MB/s", "produce txn transactions/s", "produce txn broker CPU s/GiB",
            "latency p99 ms", "group consume MB/s",
            "rebalance join ms", "rebalance join max ms", "rebalance broker CPU s", "partitions fetch MB/s", "broker RSS after runs MiB", "broker CPU s/GiB (all workloads)"}) {
            assertThat(table).contains(metric);
        }
        assertThat(results.json("smoke")).contains("\"borges\"");
    }
}
