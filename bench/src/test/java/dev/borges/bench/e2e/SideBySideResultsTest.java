package dev.borges.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Medians, ratios and failures in the harness's results, from figures made up for the test. */
class SideBySideResultsTest {

    @Test
    void reportsMediansAndRatiosOverRounds() {
        SideBySideResults results = new SideBySideResults();
        results.add("borges", new RunFigures(Map.of("produce MB/s", 90.0), Map.of()));
        results.add("kafka", new RunFigures(Map.of("produce MB/s", 40.0), Map.of()));
        results.add("borges", new RunFigures(Map.of("produce MB/s", 70.0), Map.of()));
        results.add("kafka", new RunFigures(Map.of("produce MB/s", 60.0), Map.of()));
        results.add("borges", new RunFigures(Map.of("produce MB/s", 100.0), Map.of()));
        results.add("kafka", new RunFigures(Map.of("produce MB/s", 50.0), Map.of()));

        assertThat(results.table()).containsPattern("produce MB/s\\s+higher\\s+90\\.0\\s+50\\.0\\s+1\\.80");
        assertThat(results.failures()).isEmpty();
    }

    @Test
    void recordsAFailedWorkloadAndKeepsTheOtherFigures() {
        SideBySideResults results = new SideBySideResults();
        results.add("borges", new RunFigures(Map.of("startup ms", 400.0, "partitions produce MB/s", 20.0), Map.of()));
        results.add("kafka", new RunFigures(Map.of("startup ms", 2_000.0), Map.of("partitions", "TimeoutException: expired")));
        results.add("borges", new RunFigures(Map.of("startup ms", 600.0, "partitions produce MB/s", 30.0), Map.of()));
        results.add("kafka", new RunFigures(Map.of("startup ms", 3_000.0, "partitions produce MB/s", 10.0), Map.of()));

        String table = results.table();
        assertThat(table).containsPattern("startup ms\\s+lower\\s+500\\s+2,500\\s+0\\.200");
        assertThat(table).containsPattern("partitions produce MB/s\\s+higher\\s+25\\.0\\s+10\\.0 \\(1 of 2\\)\\s+2\\.50");
        assertThat(results.failures()).containsExactly("kafka round 1 partitions: TimeoutException: expired");
        assertThat(table).contains("kafka round 1 partitions: TimeoutException: expired");
        assertThat(results.markdown("run")).contains("- kafka round 1 partitions: TimeoutException: expired");
        assertThat(results.json("run")).contains("\"failures\": [\n    \"kafka round 1 partitions: TimeoutException: expired\"");
    }

    @Test
    void marksAMetricNoRoundProducedAsFailed() {
        SideBySideResults results = new SideBySideResults();
        results.add("borges", new RunFigures(Map.of("partitions produce MB/s", 20.0), Map.of()));
        results.add("kafka", new RunFigures(Map.of(), Map.of("partitions", "did not finish within 240 s")));

        assertThat(results.table()).containsPattern("partitions produce MB/s\\s+higher\\s+20\\.0\\s+failed\\s+—");
    }
}
