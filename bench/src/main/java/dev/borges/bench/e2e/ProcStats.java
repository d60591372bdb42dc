package dev.borges.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a process's memory and CPU time from Linux {@code /proc}: the broker's own cost, apart from
 * the load generator that shares the machine with it.
 *
 * <ul>
 *   <li>{@code /proc/<pid>/status}: {@code VmRSS} (resident set now) and {@code VmHWM} (its peak), in kB;</li>
 *   <li>{@code /proc/<pid>/stat}: fields 14 and 15, {@code utime} and {@code stime}, in clock ticks
 *       ({@code getconf CLK_TCK}, 100 on Linux x86-64 and arm64), counted over all threads of the process.</li>
 * </ul>
 *
 * <p>Stateless; safe from any thread.
 */
final class ProcStats {

    /** {@code sysconf(_SC_CLK_TCK)}: the kernel's USER_HZ, fixed at 100 on the architectures Linux builds Java for. */
    static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcStats() {
    }

    /** Resident set size now, in bytes. */
    static long rssBytes(long pid) {
        return statusKiloBytes(pid, "VmRSS:") * 1024;
    }

    /** Peak resident set size since the process started, in bytes. */
    static long peakRssBytes(long pid) {
        return statusKiloBytes(pid, "VmHWM:") * 1024;
    }

    /** User plus system CPU time the process used so far, in seconds. */
    static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // fields[0] is field 3 (state), so field 14 (utime) is fields[11] and field 15 (stime) fields[12].
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return (double) ticks / CLOCK_TICKS_PER_SECOND;
    }

    private static long statusKiloBytes(long pid, String key) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
            }
        }
        throw new IllegalStateException("No " + key + " in /proc/" + pid + "/status");
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + path + " (is the process alive?)", e);
        }
    }
}
