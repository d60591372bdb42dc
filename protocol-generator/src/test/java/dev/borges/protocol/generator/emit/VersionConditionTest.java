package dev.borges.protocol.generator.emit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.generator.spec.Versions;
import org.junit.jupiter.api.Test;

class VersionConditionTest {
    private static Versions v(String text) {
        return Versions.parse(text, null);
    }

    @Test
    void dropsChecksTheContextAlreadyGuarantees() {
        assertThat(VersionCondition.of(v("0+"), v("0-11"))).isEqualTo(VersionCondition.ALWAYS);
        assertThat(VersionCondition.of(v("3+"), v("3-9"))).isEqualTo(VersionCondition.ALWAYS);
        assertThat(VersionCondition.of(v("12+"), v("0-11"))).isEqualTo(VersionCondition.NEVER);
    }

    @Test
    void checksOnlyTheBoundsThatMatter() {
        assertThat(VersionCondition.of(v("5+"), v("0-11"))).isEqualTo("version >= 5");
        assertThat(VersionCondition.of(v("0-4"), v("0-11"))).isEqualTo("version <= 4");
        assertThat(VersionCondition.of(v("2-4"), v("0-11"))).isEqualTo("version >= 2 && version <= 4");
        assertThat(VersionCondition.of(v("3"), v("0-11"))).isEqualTo("version == 3");
    }
}
