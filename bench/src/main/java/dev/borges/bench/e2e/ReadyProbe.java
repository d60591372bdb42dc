package dev.borges.bench.e2e;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Waits until a broker serves a request: a kafka-clients {@code Admin.describeCluster()} (ApiVersions,
 * then DescribeCluster or Metadata) that succeeds. The client retries its connection every 10 ms, so
 * the start-up figure has that resolution; {@link #warmUp()} loads the client's classes beforehand
 * so that class loading in the harness's JVM does not count as the broker's start-up.
 */
final class ReadyProbe {

    private static final Duration DEADLINE = Duration.ofSeconds(90);

    private ReadyProbe() {
    }

    /** Blocks until {@code bootstrap} answers; fails if the process exits or 90 s pass. */
    static void awaitServing(String bootstrap, Process process) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try (Admin admin = Admin.create(config(bootstrap))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("process exited with " + process.exitValue());
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer within " + DEADLINE);
                }
                try {
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs(500)).clusterId().get();
                    return;
                } catch (ExecutionException e) {
                    // Not serving yet (connection refused or timed out): ask again.
                }
            }
        }
    }

    /** Loads the admin client's classes by asking a port where nothing listens. */
    static void warmUp() throws InterruptedException {
        try (Admin admin = Admin.create(config("127.0.0.1:" + BrokerProcess.freePort()))) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(200)).clusterId().get(1, java.util.concurrent.TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException | java.io.IOException e) {
            // Expected: nothing listens there.
        }
    }

    private static Map<String, Object> config(String bootstrap) {
        return Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 10,
            AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 10,
            AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 10,
            AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 10,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, 500,
            AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, 500);
    }
}
