package dev.borges.bench.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One round for one broker: start a fresh process ({@code startup ms}), run every workload, and
 * read the broker's footprint from {@code /proc}: RSS after the runs and its peak, and broker
 * CPU-seconds (user + system, all threads) per GiB of record bytes moved, per workload and over all
 * (start-up CPU excluded). The process is stopped by PID and its data deleted at the end.
 */
final class BrokerRun {

    private static final double GIB = 1024.0 * 1024 * 1024;

    private BrokerRun() {
    }

    static Map<String, Double> run(BrokerProcess broker, HarnessOptions options) throws Exception {
        Map<String, Double> figures = new LinkedHashMap<>();
        try (broker) {
            broker.start();
            figures.put("startup ms", broker.startupMillis());
            long pid = broker.pid();
            double cpuAtStart = ProcStats.cpuSeconds(pid);
            long bytesMoved = 0;
            for (Workload workload : options.workloads()) {
                double cpuBefore = ProcStats.cpuSeconds(pid);
                Measurements measured = workload.run(broker.bootstrap());
                double cpu = ProcStats.cpuSeconds(pid) - cpuBefore;
                figures.putAll(measured.figures());
                figures.put(workload.name() + " broker CPU s/GiB", cpu / (measured.bytesMoved() / GIB));
                bytesMoved += measured.bytesMoved();
                System.out.printf("  %-8s %-14s %s%n", broker.name(), workload.name(), measured.figures());
            }
            figures.put("broker CPU s/GiB (all workloads)", (ProcStats.cpuSeconds(pid) - cpuAtStart) / (bytesMoved / GIB));
            figures.put("broker RSS after runs MiB", ProcStats.rssBytes(pid) / 1048576.0);
            figures.put("broker peak RSS MiB", ProcStats.peakRssBytes(pid) / 1048576.0);
        }
        return figures;
    }
}
