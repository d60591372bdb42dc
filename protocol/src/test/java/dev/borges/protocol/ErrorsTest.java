package dev.borges.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.RetriableException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void codesNamesAndRetriabilityMatchKafkaClients() {
        List<String> ours = new ArrayList<>();
        for (Errors error : Errors.values()) {
            ours.add(error.code + " " + error.name() + " " + error.retriable);
        }
        List<String> kafka = new ArrayList<>();
        for (org.apache.kafka.common.protocol.Errors error : org.apache.kafka.common.protocol.Errors.values()) {
            kafka.add(error.code() + " " + error.name() + " " + (error.exception() instanceof RetriableException));
        }
        assertThat(ours).containsExactlyElementsOf(kafka);
    }

    @Test
    void looksUpByCodeAndFallsBackToUnknownServerError() {
        assertThat(Errors.forCode((short) 3)).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(Errors.forCode((short) 0)).isEqualTo(Errors.NONE);
        assertThat(Errors.forCode((short) -1)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.forCode((short) 30000)).isEqualTo(Errors.UNKNOWN_SERVER_ERROR);
        assertThat(Errors.UNKNOWN_TOPIC_OR_PARTITION.describe()).isEqualTo("unknown topic or partition");
    }
}
