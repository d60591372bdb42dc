package dev.borges.broker.server;

import dev.borges.broker.config.BrokerConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The broker's command-line entry point: {@code BorgesServer [server.properties] [--override key=value ...]}.
 * Starts a broker with the embedded defaults unless told otherwise, and shuts it down cleanly on
 * SIGTERM or Ctrl-C (flushing the logs and writing the clean-shutdown marker).
 */
public final class BorgesServer {
    private BorgesServer() {
    }

    public static void main(String[] args) throws Exception {
        Path propertiesFile = null;
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--override")) {
                if (i + 1 >= args.length) {
                    fail("--override needs key=value");
                }
                Map.Entry<String, String> override = BrokerConfig.parseOverride(args[++i]);
                overrides.put(override.getKey(), override.getValue());
            } else if (args[i].startsWith("-")) {
                fail("Unknown option " + args[i] + "; usage: BorgesServer [server.properties] [--override key=value ...]");
            } else if (propertiesFile == null) {
                propertiesFile = Path.of(args[i]);
            } else {
                fail("Only one properties file, got " + propertiesFile + " and " + args[i]);
            }
        }
        BrokerServer server;
        try {
            server = BrokerServer.start(BrokerConfig.load(propertiesFile, overrides));
        } catch (Exception e) {
            System.err.println("borges: cannot start: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
    }

    private static void fail(String message) {
        System.err.println("borges: " + message);
        System.exit(2);
    }
}
