package dev.borges.protocol.generator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionsTest {
    @Test
    void parsesEveryFormTheSchemasUse() {
        assertThat(Versions.parse("3", null)).isEqualTo(new Versions((short) 3, (short) 3));
        assertThat(Versions.parse("1-4", null)).isEqualTo(new Versions((short) 1, (short) 4));
        assertThat(Versions.parse("2+", null)).isEqualTo(new Versions((short) 2, Short.MAX_VALUE));
        assertThat(Versions.parse("none", null).isEmpty()).isTrue();
        assertThat(Versions.parse(null, Versions.ALL)).isEqualTo(Versions.ALL);
    }

    @Test
    void rejectsGarbage() {
        assertThatThrownBy(() -> Versions.parse("two+", null)).isInstanceOf(SchemaException.class).hasMessageContaining("two+");
    }

    @Test
    void intersectsAndContains() {
        Versions flexible = Versions.parse("9+", null);
        Versions valid = Versions.parse("0-11", null);
        assertThat(flexible.intersect(valid)).isEqualTo(Versions.parse("9-11", null));
        assertThat(Versions.parse("0-3", null).intersect(flexible).isEmpty()).isTrue();
        assertThat(valid.contains((short) 11)).isTrue();
        assertThat(valid.contains((short) 12)).isFalse();
        assertThat(valid.containsAll(Versions.parse("3-5", null))).isTrue();
        assertThat(Versions.parse("4+", null).toString()).isEqualTo("4+");
    }
}
