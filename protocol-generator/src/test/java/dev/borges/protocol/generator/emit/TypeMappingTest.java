package dev.borges.protocol.generator.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.generator.spec.FieldSpec;
import dev.borges.protocol.generator.spec.FieldType;
import dev.borges.protocol.generator.spec.SchemaException;
import dev.borges.protocol.generator.spec.Versions;
import org.junit.jupiter.api.Test;

class TypeMappingTest {
    private static FieldSpec field(String type, String defaultValue, String nullable) {
        return new FieldSpec("F", FieldType.parse(type), Versions.ALL, Versions.parse(nullable, Versions.NONE), Versions.NONE,
            null, defaultValue, false, null, false, null, "");
    }

    @Test
    void defaultsFollowTheSchemaFormats() {
        assertThat(TypeMapping.defaultValue(field("int32", "0x7fffffff", null))).isEqualTo("2147483647");
        assertThat(TypeMapping.defaultValue(field("int32", "-2147483648", null))).isEqualTo("-2147483648");
        assertThat(TypeMapping.defaultValue(field("int64", "-1", null))).isEqualTo("-1L");
        assertThat(TypeMapping.defaultValue(field("int16", "-1", null))).isEqualTo("(short) -1");
        assertThat(TypeMapping.defaultValue(field("bool", "true", null))).isEqualTo("true");
        assertThat(TypeMapping.defaultValue(field("string", null, null))).isEqualTo("\"\"");
        assertThat(TypeMapping.defaultValue(field("string", "null", "0+"))).isEqualTo("null");
        assertThat(TypeMapping.defaultValue(field("[]int32", null, null))).isEqualTo("new java.util.ArrayList<>(0)");
        assertThat(TypeMapping.defaultValue(field("uuid", null, null))).isEqualTo("dev.borges.protocol.types.Uuid.ZERO");
    }

    @Test
    void rejectsOutOfRangeAndNullDefaultsThatCannotBe() {
        assertThatThrownBy(() -> TypeMapping.defaultValue(field("int8", "300", null))).isInstanceOf(SchemaException.class);
        assertThatThrownBy(() -> TypeMapping.defaultValue(field("string", "null", null))).isInstanceOf(SchemaException.class);
    }

    @Test
    void namesBecomeJavaNames() {
        assertThat(Names.fieldName("TopicName")).isEqualTo("topicName");
        assertThat(Names.setterName("timeoutMs")).isEqualTo("setTimeoutMs");
        assertThat(Names.constantName("CreateTopics")).isEqualTo("CREATE_TOPICS");
        assertThat(Names.constantName("ApiVersions")).isEqualTo("API_VERSIONS");
        assertThat(Names.constantName("DescribeTopicPartitions")).isEqualTo("DESCRIBE_TOPIC_PARTITIONS");
    }
}
