package dev.borges.bench.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One round for one broker: start a fresh process ({@code startup ms}), warm it up (unmeasured, see
 * {@link HarnessOptions#warmUp()}), run every workload, and
 * read the broker's footprint from {@code /proc}: RSS after the runs and its peak, and broker
 * CPU-seconds (user + system, all threads) per GiB of record bytes moved, per workload and over all
 * (start-up CPU excluded); a workload that moves no records (rebalance) reports its broker CPU-seconds
 * instead. The process is stopped by PID and its data deleted at the end.
 *
 * <p>A workload that fails or runs past the time limit is recorded with its reason and the round
 * goes on with the next one, so start-up and footprint are always reported; the CPU of a failed
 * workload still counts in the broker's CPU over all workloads, but not its bytes, so that figure is
 * only comparable between rounds where the same workloads completed. A broker that does not start
 * fails the whole round.
 */
final class BrokerRun {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private BrokerRun() {
    }

    static RunFigures run(BrokerProcess broker, HarnessOptions options) {
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        try (broker) {
            try {
                broker.start();
            } catch (Exception e) {
                failures.put("startup", WorkloadRunner.reason(e));
                System.out.printf("  %-8s %-14s FAILED: %s%n", broker.name(), "startup", failures.get("startup"));
                return new RunFigures(figures, failures);
            }
            figures.put("startup ms", broker.startupMillis());
            for (Workload warmUp : options.warmUp()) {
                try {
                    WorkloadRunner.run(warmUp, broker.bootstrap(), options.workloadTimeLimit());
                } catch (WorkloadRunner.WorkloadFailedException e) {
                    failures.put(warmUp.name(), e.getMessage());
                    System.out.printf("  %-8s %-14s FAILED: %s%n", broker.name(), warmUp.name(), e.getMessage());
                }
            }
            long pid = broker.pid();
            double cpuAtStart = ProcStats.cpuSeconds(pid);
            long bytesMoved = 0;
            for (Workload workload : options.workloads()) {
                double cpuBefore = ProcStats.cpuSeconds(pid);
                Measurements measured;
                try {
                    measured = WorkloadRunner.run(workload, broker.bootstrap(), options.workloadTimeLimit());
                } catch (WorkloadRunner.WorkloadFailedException e) {
                    failures.put(workload.name(), e.getMessage());
                    System.out.printf("  %-8s %-14s FAILED: %s%n", broker.name(), workload.name(), e.getMessage());
                    continue;
                }
                double cpu = ProcStats.cpuSeconds(pid) - cpuBefore;
                figures.putAll(measured.figures());
                if (measured.bytesMoved() > 0) {
                    figures.put(workload.name() + " broker CPU s/GiB", cpu / (measured.bytesMoved() / GIB));
                } else {
                    figures.put(workload.name() + " broker CPU s", cpu);
                }
                bytesMoved += measured.bytesMoved();
                System.out.printf("  %-8s %-14s %s%n", broker.name(), workload.name(), measured.figures());
            }
            if (bytesMoved > 0) {
                figures.put("broker CPU s/GiB (all workloads)", (ProcStats.cpuSeconds(pid) - cpuAtStart) / (bytesMoved / GIB));
            }
            figures.put("broker RSS after runs MiB", ProcStats.rssBytes(pid) / 1048576.0);
            figures.put("broker peak RSS MiB", ProcStats.peakRssBytes(pid) / 1048576.0);
        } catch (IllegalStateException e) {
            // /proc/<pid> is gone: the broker process died during the round
            failures.put("footprint", "broker process gone: " + WorkloadRunner.reason(e));
            System.out.printf("  %-8s %-14s FAILED: %s%n", broker.name(), "footprint", failures.get("footprint"));
        }
        return new RunFigures(figures, failures);
    }
}
