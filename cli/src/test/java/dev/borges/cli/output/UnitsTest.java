package dev.borges.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void bytesUseBinaryUnitsWithOneDecimalBelowAHundred() {
        assertThat(Units.bytes(0)).isEqualTo("0 B");
        assertThat(Units.bytes(1023)).isEqualTo("1023 B");
        assertThat(Units.bytes(1024)).isEqualTo("1.0 KiB");
        assertThat(Units.bytes(98_713)).isEqualTo("96.4 KiB");
        assertThat(Units.bytes(180_224)).isEqualTo("176 KiB");
        assertThat(Units.bytes(1L << 30)).isEqualTo("1.0 GiB");
        assertThat(Units.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void countsHaveThousandsSeparators() {
        assertThat(Units.count(0)).isEqualTo("0");
        assertThat(Units.count(1_234_567)).isEqualTo("1,234,567");
    }

    @Test
    void millisShowTheTwoLargestUnits() {
        assertThat(Units.millis(250)).isEqualTo("250ms");
        assertThat(Units.millis(45_000)).isEqualTo("45s");
        assertThat(Units.millis(5_400_000)).isEqualTo("1h 30m");
        assertThat(Units.millis(604_800_000)).isEqualTo("7d");
        assertThat(Units.millis(86_400_000 + 3_000)).isEqualTo("1d");
    }

    @Test
    void parsesDurationsAsPeopleTypeThem() {
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.parseDuration("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.parseDuration("1H")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.parseDuration("1d")).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void rejectsDurationsWithoutNumberOrWithUnknownUnit() {
        assertThatThrownBy(() -> Units.parseDuration("soon")).hasMessageContaining("'soon'");
        assertThatThrownBy(() -> Units.parseDuration("10 years")).hasMessageContaining("500ms, 10s");
    }
}
