package dev.borges.cli.produce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineRecordTest {
    @Test
    void wholeLineIsTheValueWithoutASeparator() {
        LineRecord record = LineRecord.parse("a:b", null);
        assertThat(record.key()).isNull();
        assertThat(text(record.value())).isEqualTo("a:b");
    }

    @Test
    void splitsAtTheFirstSeparatorSoValuesMayContainIt() {
        LineRecord record = LineRecord.parse("order-1:{\"total\": 42}", ":");
        assertThat(text(record.key())).isEqualTo("order-1");
        assertThat(text(record.value())).isEqualTo("{\"total\": 42}");
    }

    @Test
    void takesMultiCharacterSeparatorsAndEmptyParts() {
        LineRecord record = LineRecord.parse("=>", "=>");
        assertThat(text(record.key())).isEmpty();
        assertThat(text(record.value())).isEmpty();
    }

    @Test
    void refusesALineWithoutTheSeparator() {
        assertThatThrownBy(() -> LineRecord.parse("no key here", ":")).hasMessage("has no key separator ':'");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
