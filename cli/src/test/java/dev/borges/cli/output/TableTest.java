package dev.borges.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TableTest {
    @Test
    void alignsColumnsTextLeftNumbersRight() {
        Table table = Table.of("TOPIC", "PARTITIONS>").row("orders", 3).row("a-much-longer-name", 12);
        assertThat(render(table, false)).isEqualTo("""
            TOPIC               PARTITIONS
            orders                       3
            a-much-longer-name          12
            """);
    }

    @Test
    void printsNullAsDashAndTotalsUnderARule() {
        Table table = Table.of("PARTITION>", "SIZE>").row(0, null).row(1, "10 B").totals("total", "10 B");
        assertThat(render(table, false)).isEqualTo("""
            PARTITION  SIZE
                    0     -
                    1  10 B
            ---------------
                total  10 B
            """);
    }

    @Test
    void boldsOnlyTheHeaderWhenAsked() {
        String text = render(Table.of("A").row("x"), true);
        assertThat(text).startsWith("\u001b[1mA\u001b[0m\n").endsWith("\nx\n");
    }

    @Test
    void refusesRowsOfTheWrongWidth() {
        assertThatThrownBy(() -> Table.of("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }

    private static String render(Table table, boolean bold) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), bold);
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
