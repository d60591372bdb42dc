package dev.borges.protocol.generator.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SchemaReaderTest {
    private static final String SCHEMA = """
        // Licensed to the Apache Software Foundation: comments like this one open every schema.
        {
          "apiKey": 99,
          "type": "request",
          "listeners": ["broker"],
          "name": "ExampleRequest",
          // Version 1 adds tagged fields.
          "validVersions": "0-1",
          "flexibleVersions": "1+",
          "fields": [
            { "name": "Topics", "type": "[]Topic", "versions": "0+", "nullableVersions": "1+",
              "about": "The topics.", "fields": [
              { "name": "Name", "type": "string", "versions": "0+", "mapKey": true, "about": "The name." },
              { "name": "Id", "type": "uuid", "versions": "1+", "about": "The id." }
            ]},
            { "name": "TimeoutMs", "type": "int32", "versions": "0+", "default": "0x7fffffff", "ignorable": true,
              "about": "Timeout." },
            { "name": "Extra", "type": "Point", "versions": "1+", "taggedVersions": "1+", "tag": 0, "about": "A tagged struct." }
          ],
          "commonStructs": [
            { "name": "Point", "versions": "0+", "fields": [
              { "name": "X", "type": "int64", "versions": "0+", "about": "x" }
            ]}
          ]
        }
        """;

    @Test
    void readsSchemasWithCommentsAsPublished() throws Exception {
        MessageSpec spec = new SchemaReader().read(SCHEMA);
        assertThat(spec.name()).isEqualTo("ExampleRequest");
        assertThat(spec.className()).isEqualTo("ExampleRequestData");
        assertThat(spec.apiKey()).isEqualTo((short) 99);
        assertThat(spec.flexibleVersions()).isEqualTo(Versions.parse("1+", null));
        assertThat(spec.listeners()).containsExactly("broker");
        FieldSpec topics = spec.fields().get(0);
        assertThat(topics.type()).isEqualTo(new FieldType.ArrayType(new FieldType.StructType("Topic")));
        assertThat(topics.nullableVersions()).isEqualTo(Versions.parse("1+", null));
        assertThat(topics.fields()).extracting(FieldSpec::name).containsExactly("Name", "Id");
        assertThat(spec.fields().get(1).defaultValue()).isEqualTo("0x7fffffff");
        assertThat(spec.fields().get(1).ignorable()).isTrue();
        assertThat(spec.fields().get(2).tag()).isZero();
    }

    @Test
    void registryFindsInlineAndCommonStructs() throws Exception {
        StructRegistry registry = new StructRegistry(new SchemaReader().read(SCHEMA));
        assertThat(registry.all()).extracting(StructSpec::name).containsExactlyInAnyOrder("Topic", "Point");
    }

    @Test
    void rejectsAStructDeclaredTwice() throws Exception {
        String twice = SCHEMA.replace("\"name\": \"Point\"", "\"name\": \"Topic\"").replace("\"type\": \"Point\"", "\"type\": \"Topic\"");
        MessageSpec spec = new SchemaReader().read(twice);
        assertThatThrownBy(() -> new StructRegistry(spec)).isInstanceOf(SchemaException.class).hasMessageContaining("Topic");
    }

    @Test
    void rejectsANullableInteger() {
        String bad = SCHEMA.replace("\"ignorable\": true,", "\"ignorable\": true, \"nullableVersions\": \"0+\",");
        assertThatThrownBy(() -> new SchemaReader().read(bad)).isInstanceOf(SchemaException.class)
            .hasMessageContaining("TimeoutMs").hasMessageContaining("nullable");
    }

    @Test
    void rejectsATagWithoutTaggedVersions() {
        String bad = SCHEMA.replace("\"taggedVersions\": \"1+\", ", "");
        assertThatThrownBy(() -> new SchemaReader().read(bad)).isInstanceOf(SchemaException.class)
            .hasMessageContaining("Extra");
    }
}
