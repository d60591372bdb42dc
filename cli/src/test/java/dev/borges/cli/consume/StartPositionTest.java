package dev.borges.cli.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class StartPositionTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    @Test
    void readsBeginningAndEndByKafkaNamesToo() {
        assertThat(StartPosition.parse("beginning", PARIS)).isEqualTo(StartPosition.BEGINNING);
        assertThat(StartPosition.parse("earliest", PARIS)).isEqualTo(StartPosition.BEGINNING);
        assertThat(StartPosition.parse("END", PARIS)).isEqualTo(StartPosition.END);
        assertThat(StartPosition.parse("latest", PARIS)).isEqualTo(StartPosition.END);
    }

    @Test
    void readsOffsetsAndCountsFromTheEnd() {
        assertThat(StartPosition.parse("42", PARIS)).isEqualTo(new StartPosition(StartPosition.Kind.OFFSET, 42));
        assertThat(StartPosition.parse("0", PARIS)).isEqualTo(new StartPosition(StartPosition.Kind.OFFSET, 0));
        assertThat(StartPosition.parse("-10", PARIS)).isEqualTo(new StartPosition(StartPosition.Kind.FROM_END, 10));
    }

    @Test
    void readsTimesInstantLocalAndEpoch() {
        assertThat(StartPosition.parse("2025-01-31T12:00:00Z", PARIS).value()).isEqualTo(1_738_324_800_000L);
        assertThat(StartPosition.parse("2025-01-31T13:00:00+01:00", PARIS).value()).isEqualTo(1_738_324_800_000L);
        assertThat(StartPosition.parse("2025-01-31T13:00", PARIS).value()).isEqualTo(1_738_324_800_000L);
        assertThat(StartPosition.parse("2025-01-31", PARIS).value()).isEqualTo(1_738_278_000_000L);
        assertThat(StartPosition.parse("@1738324800000", PARIS))
            .isEqualTo(new StartPosition(StartPosition.Kind.TIMESTAMP, 1_738_324_800_000L));
    }

    @Test
    void onlyBeginningAndEndSuitAGroup() {
        assertThat(StartPosition.BEGINNING.isBeginningOrEnd()).isTrue();
        assertThat(StartPosition.parse("42", PARIS).isBeginningOrEnd()).isFalse();
    }

    @Test
    void rejectsAnythingElseListingWhatWorks() {
        assertThatThrownBy(() -> StartPosition.parse("yesterday", PARIS)).hasMessageContaining("'yesterday'")
            .hasMessageContaining("beginning, end");
        assertThatThrownBy(() -> StartPosition.parse("@soon", PARIS)).hasMessageContaining("'@soon'");
        assertThatThrownBy(() -> StartPosition.parse("99999999999999999999", PARIS)).isInstanceOf(IllegalArgumentException.class);
    }
}
