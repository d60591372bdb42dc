package dev.borges.cli.client;

import dev.borges.cli.CliException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * Checks that at least one bootstrap address takes a TCP connection before a Kafka client is
 * created. Kafka clients retry an unreachable broker until their timeouts expire, logging a warning
 * per attempt; a command should instead say in one line what is wrong and stop:
 * {@code cannot reach broker at localhost:9092: connection refused}. Stateless.
 */
public final class BrokerProbe {
    private BrokerProbe() {
    }

    /**
     * Returns once one of the addresses accepts a connection (which is closed again).
     *
     * @throws CliException naming the first address and why it could not be reached
     */
    public static void check(BootstrapServers servers, Duration timeout) {
        int timeoutMs = (int) Math.min(Math.max(timeout.toMillis(), 1), 5000);
        String firstProblem = null;
        for (BootstrapServers.Address address : servers.addresses()) {
            String problem = tryConnect(address, timeoutMs);
            if (problem == null) {
                return;
            }
            if (firstProblem == null) {
                firstProblem = problem;
            }
        }
        String where = servers.addresses().size() == 1 ? "broker at " + servers : "any broker at " + servers;
        throw new CliException("cannot reach " + where + ": " + firstProblem,
            "Is a broker running there? Start one with 'borges server', or point to yours with --bootstrap or BORGES_BROKERS.");
    }

    /** {@code null} if the address took a connection, else why not, in a few words. */
    static String tryConnect(BootstrapServers.Address address, int timeoutMs) {
        InetSocketAddress socketAddress = new InetSocketAddress(address.host(), address.port());
        if (socketAddress.isUnresolved()) {
            return "unknown host '" + address.host() + "'";
        }
        try (Socket socket = new Socket()) {
            socket.connect(socketAddress, timeoutMs);
            return null;
        } catch (ConnectException e) {
            String message = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
            return message.contains("refused") ? "connection refused" : "cannot connect (" + message + ")";
        } catch (SocketTimeoutException e) {
            return "no answer within " + timeoutMs + " ms";
        } catch (NoRouteToHostException e) {
            return "no route to host";
        } catch (UnknownHostException e) {
            return "unknown host '" + address.host() + "'";
        } catch (IOException e) {
            return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().toLowerCase(Locale.ROOT);
        }
    }
}
