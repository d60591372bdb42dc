package dev.borges.storage;

/**
 * The clock storage reads: injected, so retention, rolling by age and compaction lag can be tested
 * by advancing a clock instead of sleeping. {@link #SYSTEM} in production.
 */
public interface Time {
    Time SYSTEM = new Time() {
        @Override
        public long milliseconds() {
            return System.currentTimeMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }
    };

    /** Wall-clock milliseconds since the epoch (record timestamps, file ages). */
    long milliseconds();

    /** A monotonic clock for measuring intervals. */
    long nanoseconds();
}
