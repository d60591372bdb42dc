package dev.borges.broker.purgatory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PurgatoryTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Purgatory<String> purgatory = new Purgatory<>("test", timer);

    @AfterEach
    void stop() {
        purgatory.close();
        timer.shutdownNow();
    }

    /** Completes when the watched counter reaches a target; counts how often it completed. */
    private static final class WaitForCount extends DelayedOperation {
        final AtomicLong counter;
        final long target;
        final AtomicInteger completions = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        volatile boolean byTimeout = true;

        WaitForCount(AtomicLong counter, long target, long timeoutMs) {
            super(timeoutMs);
            this.counter = counter;
            this.target = target;
        }

        @Override
        public boolean tryComplete() {
            if (counter.get() >= target) {
                byTimeout = false;
                return forceComplete() || isCompleted();
            }
            return false;
        }

        @Override
        protected void onComplete() {
            completions.incrementAndGet();
            done.countDown();
        }
    }

    @Test
    void completesAtOnceWhenAlreadySatisfied() {
        WaitForCount operation = new WaitForCount(new AtomicLong(5), 5, 60_000);
        assertThat(purgatory.tryCompleteElseWatch(operation, List.of("a"))).isTrue();
        assertThat(operation.completions).hasValue(1);
        assertThat(purgatory.watched()).isZero();
    }

    @Test
    void completesWhenAWatchedKeyChanges() {
        AtomicLong counter = new AtomicLong();
        WaitForCount operation = new WaitForCount(counter, 3, 60_000);
        assertThat(purgatory.tryCompleteElseWatch(operation, List.of("a", "b"))).isFalse();
        counter.set(2);
        assertThat(purgatory.checkAndComplete("a")).isZero();
        counter.set(3);
        assertThat(purgatory.checkAndComplete("b")).isEqualTo(1);
        assertThat(purgatory.checkAndComplete("a")).as("already done: not again").isZero();
        assertThat(operation.completions).hasValue(1);
        assertThat(operation.byTimeout).isFalse();
    }

    @Test
    void completesOnTimeoutExactlyOnce() throws InterruptedException {
        WaitForCount operation = new WaitForCount(new AtomicLong(), 1, 50);
        purgatory.tryCompleteElseWatch(operation, List.of("a"));
        assertThat(operation.done.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(operation.byTimeout).isTrue();
        purgatory.checkAndComplete("a");
        assertThat(operation.completions).hasValue(1);
        assertThat(purgatory.watched()).isZero();
    }

    @Test
    void operationsThatTimedOutOnKeysNobodyTouchesAreSweptAway() throws InterruptedException {
        Purgatory<String> sweeping = new Purgatory<>("sweeping", timer, 20);
        WaitForCount operation = new WaitForCount(new AtomicLong(), 1, 10);
        sweeping.tryCompleteElseWatch(operation, List.of("idle-1", "idle-2"));
        assertThat(operation.done.await(5, TimeUnit.SECONDS)).isTrue();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (sweeping.watched() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sweeping.watched()).isZero();
    }

    @Test
    void aWakeUpIsNeverLostWhileOperationsComeAndGo() throws Exception {
        AtomicLong counter = new AtomicLong();
        java.util.concurrent.ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 300; round++) {
                long target = round + 1;
                WaitForCount operation = new WaitForCount(counter, target, 60_000);
                var waiting = pool.submit(() -> purgatory.tryCompleteElseWatch(operation, List.of("k")));
                counter.set(target);
                var waking = pool.submit(() -> purgatory.checkAndComplete("k"));
                waiting.get(5, TimeUnit.SECONDS);
                waking.get(5, TimeUnit.SECONDS);
                purgatory.checkAndComplete("k");
                assertThat(operation.done.await(5, TimeUnit.SECONDS)).as("round %d woke up", round).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closeAnswersEverythingStillWaiting() {
        WaitForCount operation = new WaitForCount(new AtomicLong(), 1, 60_000);
        purgatory.tryCompleteElseWatch(operation, List.of("a"));
        purgatory.close();
        assertThat(operation.completions).hasValue(1);
    }
}
