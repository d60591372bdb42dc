package dev.borges.bench.e2e;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The end-to-end harness's entry point: runs every workload against Borges and Apache Kafka in
 * turn, alternating them (B K B K … for {@code --rounds} rounds, each broker a fresh process with a
 * fresh data dir), prints a table of medians and Borges / Kafka ratios, and writes JSON and
 * Markdown under {@code bench/results/}. {@code --smoke} runs Borges only with tiny sizes and writes
 * nothing. Run from the repository root, normally through {@code bench/run-side-by-side}.
 */
public final class SideBySide {

    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        boolean smoke = java.util.List.of(args).contains("--smoke");
        HarnessOptions options = HarnessOptions.parse(args);
        SideBySideResults results = run(options);
        System.out.println();
        System.out.print(results.table());
        if (!smoke) {
            String header = String.format("Side-by-side run of %s: %d round(s), brokers %s, %d records per produce variant, "
                + "latency at %.1f MB/s for %s, %d rebalance joins, %d partitions x %d records; %d cores; %s",
                LocalDateTime.now().truncatedTo(ChronoUnit.SECONDS), options.rounds(), options.brokers(), options.produceRecords(),
                options.latencyBytesPerSecond() / 1e6, options.latencyDuration(), options.rebalanceJoins(), options.partitions(), options.recordsPerPartition(),
                Runtime.getRuntime().availableProcessors(), results.runtimes(System.getProperty("java.vendor") + " " + System.getProperty("java.version")));
            Path written = results.write(options.resultsDir(), header);
            System.out.println("\nwritten: " + written + " and .json");
        }
    }

    /**
     * Runs every round and returns the figures; a broker that does not start or a workload that
     * fails is recorded with its reason and the run goes on.
     */
    static SideBySideResults run(HarnessOptions options) throws Exception {
        ReadyProbe.warmUp();
        if (options.brokers().contains("borges")) {
            System.out.println("borges: a first start and stop, unmeasured (bin/borges records its class-data-sharing archive)");
            BorgesBroker.recordClassDataSharingArchive(options.borgesLauncher());
        }
        SideBySideResults results = new SideBySideResults();
        for (int round = 1; round <= options.rounds(); round++) {
            for (String name : options.brokers()) {
                String quiet = options.quietSeconds() > 0 ? " (" + QuietMachine.await(options.quietSeconds()) + ")" : "";
                System.out.printf("round %d/%d: %s%s%n", round, options.rounds(), name, quiet);
                BrokerProcess broker = switch (name) {
                    case "borges" -> new BorgesBroker(options.borgesLauncher());
                    case "kafka" -> new KafkaBroker(options.kafkaLibDir());
                    default -> throw new IllegalArgumentException("Unknown broker " + name + " (borges, kafka)");
                };
                if (options.jvmLogDir() != null) {
                    java.nio.file.Files.createDirectories(options.jvmLogDir());
                    broker.logJvmTo(options.jvmLogDir().resolve(name + "-round" + round + "-jvm.log"));
                }
                long started = System.nanoTime();
                results.add(name, BrokerRun.run(broker, options));
                if (broker.runtime() != null) {
                    results.runtime(name, broker.runtime());
                }
                System.out.printf("  %-8s round took %.0f s (JDK %s)%n", name, (System.nanoTime() - started) / 1e9, broker.runtime());
            }
        }
        return results;
    }
}
