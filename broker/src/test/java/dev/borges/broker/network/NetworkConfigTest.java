package dev.borges.broker.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NetworkConfigTest {

    @Test
    void defaultsFollowKafka() {
        NetworkConfig config = NetworkConfig.listener("0.0.0.0", 9092);

        assertThat(config.listenerName()).isEqualTo("PLAINTEXT");
        assertThat(config.maxRequestBytes()).isEqualTo(104_857_600);
        assertThat(config.maxInFlightRequestsPerConnection()).isEqualTo(1);
        assertThat(config.eventLoopThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void rejectsValuesThatCannotWork() {
        NetworkConfig config = NetworkConfig.listener("0.0.0.0", 9092);

        assertThatThrownBy(() -> NetworkConfig.listener("0.0.0.0", 65_536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withEventLoopThreads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMaxRequestBytes(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withMaxInFlightRequestsPerConnection(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> config.withShutdownTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
