package dev.borges.bench.e2e;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How long the load generator itself stood still: a thread of the harness's JVM asks to sleep
 * 1 ms at a time and records by how much more than that it slept. A GC pause or safepoint of the
 * harness's JVM, or the machine giving none of its cores to the harness, shows here as a stall;
 * a broker that is slow to answer does not. Read beside a latency tail, it says on which side the
 * tail arose. The same idea as jHiccup.
 *
 * <p>Lifecycle: {@link #start()}, then {@link #stop()}, which returns the largest stall; one
 * workload thread calls both.
 */
final class StallMeter {

    private static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Thread thread = new Thread(this::measure, "stall-meter");
    private volatile boolean stopping;
    private volatile long maxStallNanos;

    StallMeter() {
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops measuring; returns the largest stall seen, in milliseconds. */
    double stop() throws InterruptedException {
        stopping = true;
        thread.join();
        return maxStallNanos / 1e6;
    }

    private void measure() {
        long max = 0;
        while (!stopping) {
            long before = System.nanoTime();
            LockSupport.parkNanos(INTERVAL_NANOS);
            long stall = System.nanoTime() - before - INTERVAL_NANOS;
            if (stall > max) {
                max = stall;
                maxStallNanos = max;
            }
        }
    }
}
