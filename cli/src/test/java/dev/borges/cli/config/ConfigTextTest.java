package dev.borges.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigTextTest {
    @Test
    void addsHumanUnitsToMillisecondsAndBytes() {
        assertThat(ConfigText.withUnits("retention.ms", "604800000")).isEqualTo("604800000 (7d)");
        assertThat(ConfigText.withUnits("segment.bytes", "1073741824")).isEqualTo("1073741824 (1.0 GiB)");
        assertThat(ConfigText.withUnits("retention.bytes", "-1")).isEqualTo("-1 (no limit)");
        assertThat(ConfigText.withUnits("flush.ms", "9223372036854775807")).isEqualTo("9223372036854775807 (never)");
    }

    @Test
    void leavesOtherValuesAlone() {
        assertThat(ConfigText.withUnits("cleanup.policy", "delete")).isEqualTo("delete");
        assertThat(ConfigText.withUnits("retention.ms", "500")).isEqualTo("500");
        assertThat(ConfigText.withUnits("retention.ms", "abc")).isEqualTo("abc");
        assertThat(ConfigText.withUnits("retention.ms", null)).isNull();
    }
}
