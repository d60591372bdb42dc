package dev.borges.cli.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;

class KafkaErrorsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void keepsTheBrokersMessageAsOneLowercaseLine() {
        ExecutionException wrapped = new ExecutionException(new TopicExistsException("Topic 'orders' already exists."));
        assertThat(KafkaErrors.toCli(wrapped, TIMEOUT).getMessage()).isEqualTo("topic 'orders' already exists");
    }

    @Test
    void namesTheApiABrokerLacks() {
        KafkaException wrapped = new KafkaException(new UnsupportedVersionException(
            "Error listing groups on localhost:9092 (id: 1 rack: null isFenced: false): The node does not support LIST_GROUPS"));
        assertThat(KafkaErrors.toCli(wrapped, TIMEOUT).getMessage()).isEqualTo("the broker does not support LIST_GROUPS, which this command needs");
    }

    @Test
    void saysHowLongItWaited() {
        assertThat(KafkaErrors.toCli(new TimeoutException("Timed out waiting for a node assignment."), TIMEOUT).getMessage())
            .isEqualTo("the broker did not answer within 10s (timed out waiting for a node assignment)");
    }

    @Test
    void keepsAcronymsCapitalised() {
        assertThat(KafkaErrors.sentence("ISR is too small.")).isEqualTo("ISR is too small");
        assertThat(KafkaErrors.sentence(null)).isEqualTo("no details");
    }
}
