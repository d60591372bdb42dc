package dev.borges.broker.server;

import java.util.concurrent.TimeUnit;

/**
 * How long each phase of {@link BrokerServer#start} took, for the start-up log line at DEBUG
 * ({@code controller 120 ms, logs 4 ms, ...}). Not thread-safe: owned by the starting thread.
 */
final class StartupPhases {
    private final long startNs;
    private final StringBuilder phases = new StringBuilder();
    private long lastNs;

    StartupPhases(long startNs) {
        this.startNs = startNs;
        this.lastNs = startNs;
    }

    /** Ends the phase called {@code name}, which began at the previous mark (or the start). */
    void mark(String name) {
        long now = System.nanoTime();
        if (!phases.isEmpty()) {
            phases.append(", ");
        }
        phases.append(name).append(' ').append(TimeUnit.NANOSECONDS.toMillis(now - lastNs)).append(" ms");
        lastNs = now;
    }

    long totalMs() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
    }

    @Override
    public String toString() {
        return phases.toString();
    }
}
