package dev.borges.protocol.generator.spec;

/**
 * The type of a schema field: a primitive, a struct (by name) or an array of either.
 * Parsed from the schema's {@code "type"} string ({@code "int32"}, {@code "[]CreatableTopic"}, …).
 */
public sealed interface FieldType {

    static FieldType parse(String text) {
        if (text.startsWith("[]")) {
            return new ArrayType(parse(text.substring(2)));
        }
        for (Primitive primitive : Primitive.values()) {
            if (primitive.schemaName.equals(text)) {
                return primitive;
            }
        }
        if (text.isEmpty() || !Character.isUpperCase(text.charAt(0))) {
            throw new SchemaException("Unknown field type '" + text + "'");
        }
        return new StructType(text);
    }

    /** Strings, bytes, records, structs and arrays may be nullable; numbers, booleans and uuids never. */
    default boolean canBeNullable() {
        return !(this instanceof Primitive p) || p.variableLength;
    }

    enum Primitive implements FieldType {
        BOOL("bool", false),
        INT8("int8", false),
        INT16("int16", false),
        UINT16("uint16", false),
        INT32("int32", false),
        UINT32("uint32", false),
        INT64("int64", false),
        FLOAT64("float64", false),
        UUID("uuid", false),
        STRING("string", true),
        BYTES("bytes", true),
        RECORDS("records", true);

        public final String schemaName;
        public final boolean variableLength;

        Primitive(String schemaName, boolean variableLength) {
            this.schemaName = schemaName;
            this.variableLength = variableLength;
        }
    }

    record StructType(String name) implements FieldType {
    }

    record ArrayType(FieldType element) implements FieldType {
    }
}
