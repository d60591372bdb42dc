package dev.borges.broker.coordinator;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CoordinatorEventLoop} on one daemon thread. A task that throws is logged and does not
 * stop the loop (the runtime turns operation failures into failed futures before that). Closing
 * runs the events already queued and drops pending timers.
 */
final class ExecutorEventLoop implements CoordinatorEventLoop {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorEventLoop.class);

    private final ScheduledThreadPoolExecutor executor;

    ExecutorEventLoop(String name) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
        // Heartbeats reschedule a member's session timer on every call: drop the old ones at once.
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public void execute(Runnable task) {
        executor.execute(() -> runLogged(task));
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMs) {
        ScheduledFuture<?> future = executor.schedule(() -> runLogged(task), Math.max(0, delayMs), TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }

    @Override
    public void close() {
        // Events already queued (the unloads that answer waiting members) still run; timers do not.
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private static void runLogged(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            LOG.error("Coordinator event failed", e);
        }
    }
}
