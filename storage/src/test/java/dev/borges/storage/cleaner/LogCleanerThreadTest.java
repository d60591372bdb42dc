package dev.borges.storage.cleaner;

import static dev.borges.storage.cleaner.CleanerTestContext.readAll;
import static dev.borges.storage.cleaner.CleanerTestContext.rollAndCommit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.borges.storage.log.PartitionLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCleanerThreadTest {
    @TempDir
    Path root;

    @Test
    void cleansInTheBackgroundAndStopsWithoutWaitingOutItsBackoff() throws InterruptedException {
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog log = ctx.open();
        ctx.appendRounds(log, 100, 5);
        rollAndCommit(log);
        CleanerConfig config = CleanerConfig.of(Map.of(CleanerConfig.BACKOFF_MS, "3600000")).withDedupeBufferSize(1 << 16);
        LogCleaner cleaner = new LogCleaner(config);
        CountDownLatch secondLook = new CountDownLatch(2);
        AtomicInteger looks = new AtomicInteger();
        LogCleanerThread thread = new LogCleanerThread(cleaner, () -> {
            looks.incrementAndGet();
            secondLook.countDown();
            return List.of(log);
        }, ctx.time);

        thread.start();
        assertThat(secondLook.await(30, TimeUnit.SECONDS)).as("the thread looked for work again after its pass").isTrue();
        assertTimeoutPreemptively(Duration.ofSeconds(30), thread::close);

        assertThat(readAll(log)).hasSize(5);
        assertThat(cleaner.checkpoint(log)).hasValue(100);
        assertThat(looks.get()).as("after a pass that found nothing, it waits out the backoff").isEqualTo(2);
    }

    @Test
    void wakeupEndsTheBackoffAtOnce() throws InterruptedException {
        CleanerTestContext ctx = new CleanerTestContext(root, Map.of());
        PartitionLog log = ctx.open();
        CleanerConfig config = CleanerConfig.of(Map.of(CleanerConfig.BACKOFF_MS, "3600000")).withDedupeBufferSize(1 << 16);
        CountDownLatch looked = new CountDownLatch(1);
        CountDownLatch lookedAgain = new CountDownLatch(2);
        LogCleanerThread thread = new LogCleanerThread(new LogCleaner(config), () -> {
            looked.countDown();
            lookedAgain.countDown();
            return List.<PartitionLog>of(log);
        }, ctx.time);
        thread.start();
        try {
            assertThat(looked.await(30, TimeUnit.SECONDS)).isTrue();

            thread.wakeup();

            assertThat(lookedAgain.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            thread.close();
        }
    }

    @Test
    void closingAThreadThatNeverStartedReturnsAtOnce() {
        LogCleanerThread thread = new LogCleanerThread(new LogCleaner(CleanerConfig.defaults().withDedupeBufferSize(1 << 16)),
            List::<PartitionLog>of, new dev.borges.storage.MockTime(0));

        assertTimeoutPreemptively(Duration.ofSeconds(30), thread::close);
    }
}
