package dev.borges.protocol.generator.spec;

import java.util.List;

/**
 * One field of a message or struct, as declared in a schema.
 *
 * @param name          schema name, e.g. {@code TopicName}
 * @param type          the field's type
 * @param versions      versions in which the field is present (for tagged fields: may be tagged)
 * @param nullableVersions versions in which null may be sent
 * @param taggedVersions versions in which the field is sent as a tagged field; empty if never
 * @param tag           the tag, or null for a regular field
 * @param defaultValue  the schema's {@code "default"} as text, or null for the type's default
 * @param ignorable     whether a non-default value may be dropped silently when a version lacks the field
 * @param flexibleVersions overrides the message's flexible versions for this field (RequestHeader.ClientId)
 * @param zeroCopy      bytes read as a view of the input instead of a copy
 * @param fields        nested fields when the field declares an inline struct (or array of one)
 * @param about         documentation from the schema
 */
public record FieldSpec(
    String name,
    FieldType type,
    Versions versions,
    Versions nullableVersions,
    Versions taggedVersions,
    Integer tag,
    String defaultValue,
    boolean ignorable,
    Versions flexibleVersions,
    boolean zeroCopy,
    List<FieldSpec> fields,
    String about) {

    public boolean isTagged() {
        return tag != null;
    }

    /** The name of the struct this field holds, directly or as array elements; null for primitives. */
    public String structName() {
        FieldType t = type instanceof FieldType.ArrayType array ? array.element() : type;
        return t instanceof FieldType.StructType struct ? struct.name() : null;
    }

    public boolean defaultIsNull() {
        return "null".equals(defaultValue);
    }
}
