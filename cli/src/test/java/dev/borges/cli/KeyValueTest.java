package dev.borges.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyValueTest {
    @Test
    void splitsAtTheFirstEquals() {
        assertThat(KeyValue.parse("retention.ms=86400000")).isEqualTo(new KeyValue("retention.ms", "86400000"));
        assertThat(KeyValue.parse("query=a=b")).isEqualTo(new KeyValue("query", "a=b"));
        assertThat(KeyValue.parse("empty=")).isEqualTo(new KeyValue("empty", ""));
    }

    @Test
    void rejectsMissingEqualsOrKey() {
        assertThatThrownBy(() -> KeyValue.parse("retention.ms")).hasMessage("expected key=value, got 'retention.ms'");
        assertThatThrownBy(() -> KeyValue.parse("=5")).hasMessageContaining("a key before '='");
    }

    @Test
    void laterPairsReplaceEarlierOnes() {
        assertThat(KeyValue.toMap(List.of(KeyValue.parse("a=1"), KeyValue.parse("b=2"), KeyValue.parse("a=3"))))
            .containsExactly(java.util.Map.entry("a", "3"), java.util.Map.entry("b", "2"));
    }
}
