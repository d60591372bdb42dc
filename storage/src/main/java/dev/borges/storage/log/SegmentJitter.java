package dev.borges.storage.log;

/**
 * {@code segment.jitter.ms}: a random amount subtracted from {@code segment.ms} per segment, so the
 * segments of many partitions created together do not all roll (and flush) at the same moment.
 */
final class SegmentJitter {
    private SegmentJitter() {
    }

    static long random(long maxJitterMs) {
        if (maxJitterMs <= 0) {
            return 0;
        }
        return java.util.concurrent.ThreadLocalRandom.current().nextLong(maxJitterMs);
    }
}
