package dev.borges.storage;

/** A clock that moves only when a test moves it. */
public final class MockTime implements Time {
    private long nowMs;

    public MockTime(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public long milliseconds() {
        return nowMs;
    }

    @Override
    public long nanoseconds() {
        return nowMs * 1_000_000L;
    }

    public void sleep(long ms) {
        nowMs += ms;
    }
}
