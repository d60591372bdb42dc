package dev.borges.cli.topic;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.cli.CliException;
import org.junit.jupiter.api.Test;

class TopicLookupTest {

    @Test
    void acceptsAnExistingPartition() {
        assertThatCode(() -> TopicLookup.requirePartition("orders", 3, 2)).doesNotThrowAnyException();
        assertThatCode(() -> TopicLookup.requirePartition("orders", 1, 0)).doesNotThrowAnyException();
    }

    @Test
    void namesThePartitionsThereAreWhenOneIsMissing() {
        assertThatThrownBy(() -> TopicLookup.requirePartition("orders", 3, 5)).isInstanceOf(CliException.class)
            .hasMessage("topic 'orders' has 3 partitions (0-2); there is no partition 5");
        assertThatThrownBy(() -> TopicLookup.requirePartition("orders", 1, 1)).isInstanceOf(CliException.class)
            .hasMessage("topic 'orders' has 1 partition (0); there is no partition 1");
    }
}
