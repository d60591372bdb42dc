package dev.borges.bench.e2e;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

/**
 * Runs one workload with a time limit, so that a broker that stops answering costs the run one
 * failed workload rather than the whole run. The workload runs on a daemon thread of its own; past
 * the limit the thread is interrupted and left to end when its clients fail (the broker process is
 * stopped at the end of the round). Failures come back as one-line reasons for the results.
 */
final class WorkloadRunner {

    private WorkloadRunner() {
    }

    /** The workload's figures; throws with a one-line reason if it failed or ran past {@code limit}. */
    static Measurements run(Workload workload, String bootstrap, Duration limit) throws WorkloadFailedException {
        ExecutorService thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread t = new Thread(runnable, "workload-" + workload.name());
            t.setDaemon(true);
            return t;
        });
        try {
            Future<Measurements> running = thread.submit(() -> workload.run(bootstrap));
            try {
                return running.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                running.cancel(true);
                throw new WorkloadFailedException("did not finish within " + limit.toMillis() / 1000.0 + " s");
            } catch (ExecutionException e) {
                throw new WorkloadFailedException(reason(e.getCause()));
            } catch (InterruptedException e) {
                running.cancel(true);
                Thread.currentThread().interrupt();
                throw new WorkloadFailedException("interrupted");
            }
        } finally {
            thread.shutdownNow();
        }
    }

    /** The exception and its causes in one line: {@code Type: message <- Type: message}. */
    static String reason(Throwable failure) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (reason.length() > 0) {
                reason.append(" <- ");
            }
            reason.append(t.getClass().getSimpleName());
            if (t.getMessage() != null) {
                reason.append(": ").append(t.getMessage().lines().findFirst().orElse(""));
            }
        }
        return reason.toString();
    }

    /** A workload that failed or timed out; the message is the reason the results record. */
    static final class WorkloadFailedException extends Exception {
        private static final long serialVersionUID = 1L;

        WorkloadFailedException(String reason) {
            super(reason);
        }
    }
}
