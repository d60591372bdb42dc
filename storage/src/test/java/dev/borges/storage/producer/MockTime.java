package dev.borges.storage.producer;

import dev.borges.storage.Time;

/** A clock tests move by hand. */
final class MockTime implements Time {
    private long nowMs;

    MockTime(long startMs) {
        this.nowMs = startMs;
    }

    void advance(long ms) {
        nowMs += ms;
    }

    @Override
    public long milliseconds() {
        return nowMs;
    }

    @Override
    public long nanoseconds() {
        return nowMs * 1_000_000L;
    }
}
