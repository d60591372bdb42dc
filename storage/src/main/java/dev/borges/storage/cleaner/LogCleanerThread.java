package dev.borges.storage.cleaner;

import dev.borges.storage.Time;
import dev.borges.storage.log.PartitionLog;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The background thread that keeps compacted logs clean: a thin loop around
 * {@link LogCleaner#cleanDirtiest}. After a pass it looks for the next log at once; when no log
 * needs cleaning (or a pass failed) it waits {@code log.cleaner.backoff.ms}, or until
 * {@link #wakeup()} or {@link #close()}.
 *
 * <p>Lifecycle: created, {@link #start() started} once, {@link #close() closed} once; close waits
 * for a running pass to end (passes are not interrupted part way), then for the thread. The log
 * supplier is called on the cleaner thread, once per iteration, and must be safe to call from it.
 */
public final class LogCleanerThread implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogCleanerThread.class);

    private final LogCleaner cleaner;
    private final Supplier<? extends Collection<PartitionLog>> logs;
    private final Time time;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private boolean running = true;
    private boolean wakeupPending;

    /**
     * @param logs the broker's current logs; the non-compacted ones are ignored
     */
    public LogCleanerThread(LogCleaner cleaner, Supplier<? extends Collection<PartitionLog>> logs, Time time) {
        this.cleaner = cleaner;
        this.logs = logs;
        this.time = time;
        this.thread = new Thread(this::run, "log-cleaner-0");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Ends the current wait at once (a topic became compacted, a config changed). */
    public void wakeup() {
        lock.lock();
        try {
            wakeupPending = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the thread after its current pass, if any, and waits for it. If the calling thread is
     * interrupted while waiting, it stops waiting and keeps its interrupt status.
     */
    @Override
    public void close() {
        lock.lock();
        try {
            running = false;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        LOG.info("Log cleaner started");
        while (isRunning()) {
            boolean cleaned = false;
            try {
                cleaned = cleaner.cleanDirtiest(logs.get(), time.milliseconds()).isPresent();
            } catch (RuntimeException e) {
                LOG.error("Log cleaner pass failed", e); // the log is marked uncleanable; others go on
            }
            if (!cleaned) {
                awaitBackoff();
            }
        }
        LOG.info("Log cleaner stopped");
    }

    private boolean isRunning() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    private void awaitBackoff() {
        lock.lock();
        try {
            long remainingNs = TimeUnit.MILLISECONDS.toNanos(cleaner.config().backoffMs());
            while (running && !wakeupPending && remainingNs > 0) {
                remainingNs = wake.awaitNanos(remainingNs);
            }
            wakeupPending = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }
}
