package dev.borges.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.time.Duration;
import dev.borges.cli.CliException;
import org.junit.jupiter.api.Test;

class BootstrapServersTest {
    @Test
    void parsesListsAndBracketedIpv6() {
        BootstrapServers servers = BootstrapServers.parse("localhost:9092, [::1]:9093,broker-2:19092");
        assertThat(servers.addresses()).containsExactly(new BootstrapServers.Address("localhost", 9092),
            new BootstrapServers.Address("::1", 9093), new BootstrapServers.Address("broker-2", 19092));
        assertThat(servers).hasToString("localhost:9092,[::1]:9093,broker-2:19092");
    }

    @Test
    void rejectsMissingOrBadPorts() {
        assertThatThrownBy(() -> BootstrapServers.parse("localhost")).hasMessage("expected host:port, got 'localhost'");
        assertThatThrownBy(() -> BootstrapServers.parse("localhost:abc")).hasMessageContaining("numeric port");
        assertThatThrownBy(() -> BootstrapServers.parse("localhost:70000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> BootstrapServers.parse(" , ")).hasMessageContaining("expected host:port");
    }

    @Test
    void probeSaysConnectionRefusedForAClosedPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        BootstrapServers servers = BootstrapServers.parse("127.0.0.1:" + port);
        assertThatThrownBy(() -> BrokerProbe.check(servers, Duration.ofSeconds(2))).isInstanceOf(CliException.class)
            .hasMessage("cannot reach broker at 127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void probePassesWhenOneAddressListens() throws Exception {
        int closedPort;
        try (ServerSocket closed = new ServerSocket(0)) {
            closedPort = closed.getLocalPort();
        }
        try (ServerSocket open = new ServerSocket(0)) {
            BrokerProbe.check(BootstrapServers.parse("127.0.0.1:" + closedPort + ",127.0.0.1:" + open.getLocalPort()), Duration.ofSeconds(2));
        }
    }
}
