package dev.borges.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicNamesTest {
    @Test
    void acceptsKafkasLegalNames() {
        assertThat(TopicNames.validate("orders")).isEmpty();
        assertThat(TopicNames.validate("a.b_c-D9")).isEmpty();
        assertThat(TopicNames.validate("...")).isEmpty();
        assertThat(TopicNames.validate("x".repeat(249))).isEmpty();
    }

    @Test
    void rejectsIllegalNames() {
        assertThat(TopicNames.validate("")).isPresent();
        assertThat(TopicNames.validate(null)).isPresent();
        assertThat(TopicNames.validate(".")).isPresent();
        assertThat(TopicNames.validate("..")).isPresent();
        assertThat(TopicNames.validate("x".repeat(250))).isPresent();
        assertThat(TopicNames.validate("a b")).isPresent();
        assertThat(TopicNames.validate("a/b")).isPresent();
        assertThat(TopicNames.validate("é")).isPresent();
    }

    @Test
    void dotsAndUnderscoresCollide() {
        assertThat(TopicNames.unifyCollisionChars("a.b")).isEqualTo(TopicNames.unifyCollisionChars("a_b"));
        assertThat(TopicNames.unifyCollisionChars("a.b")).isNotEqualTo(TopicNames.unifyCollisionChars("a-b"));
    }
}
