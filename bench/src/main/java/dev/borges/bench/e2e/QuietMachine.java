package dev.borges.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Waits, before a broker starts, until the machine has settled after the previous broker: for a
 * number of consecutive seconds, the harness's own JVM must stand still for no more than
 * {@link #MAX_STALL_MILLIS} ms ({@link StallMeter}, nothing else running) and, where the kernel
 * exposes it ({@link #PAGE_REPORTING_COUNTER}), no memory may be handed back to the hypervisor;
 * or {@link #LIMIT} passes.
 *
 * <p>Why: on this VM the kernel reports memory freed in large blocks to the hypervisor (free page
 * reporting, in passes two seconds apart) for about half a minute after a broker with a large page
 * cache exits and its data is deleted, and while it does, every process on the machine stalls,
 * now and then for tens to hundreds of milliseconds. Kafka's 1,000-partition workload leaves
 * gigabytes of zero-filled index pages in the page cache (see bench/README.md), so the broker that
 * ran next had its first workloads measured inside that storm; alternating B K B K, that was
 * always Borges, whose latency workload starts within 30 s of its launch. Waiting gives every
 * round the same settled machine to start on.
 */
final class QuietMachine {

    static final long MAX_STALL_MILLIS = 5;
    static final Duration LIMIT = Duration.ofSeconds(90);
    /** KiB reported to the hypervisor so far (this VM's kernel; absent elsewhere, and then not used). */
    static final Path PAGE_REPORTING_COUNTER = Path.of("/sys/module/page_reporting/parameters/reported_kib");

    private QuietMachine() {
    }

    /**
     * Blocks until the machine was quiet for {@code quietSeconds} seconds in a row or {@link #LIMIT}
     * passed; returns how long it waited and whether it became quiet, for the console.
     */
    static String await(int quietSeconds) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + LIMIT.toNanos();
        int quiet = 0;
        double worstStall = 0;
        long reportedKib = 0;
        long reported = pageReportingKib();
        while (quiet < quietSeconds && System.nanoTime() < deadline) {
            StallMeter meter = new StallMeter();
            meter.start();
            Thread.sleep(1_000);
            double stall = meter.stop();
            long nowReported = pageReportingKib();
            worstStall = Math.max(worstStall, stall);
            reportedKib += nowReported - reported;
            quiet = stall <= MAX_STALL_MILLIS && nowReported == reported ? quiet + 1 : 0;
            reported = nowReported;
        }
        String meanwhile = String.format("longest stall %.1f ms, %d MiB handed back to the hypervisor", worstStall, reportedKib / 1024);
        double waited = (System.nanoTime() - start) / 1e9;
        return quiet >= quietSeconds ? String.format("machine quiet after %.0f s; %s", waited, meanwhile)
            : String.format("machine not quiet after %.0f s (%s); starting anyway", waited, meanwhile);
    }

    private static long pageReportingKib() {
        try {
            return Files.exists(PAGE_REPORTING_COUNTER) ? Long.parseLong(Files.readString(PAGE_REPORTING_COUNTER).trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
