package dev.borges.protocol.generator.emit;

import dev.borges.protocol.generator.spec.FieldSpec;
import dev.borges.protocol.generator.spec.FieldType;
import dev.borges.protocol.generator.spec.FieldType.ArrayType;
import dev.borges.protocol.generator.spec.FieldType.Primitive;
import dev.borges.protocol.generator.spec.FieldType.StructType;
import dev.borges.protocol.generator.spec.SchemaException;

/**
 * Java types, default values and "is default" tests for schema fields. Runtime types are written
 * fully qualified in generated code so a struct named like one of them cannot shadow it.
 */
final class TypeMapping {
    static final String UUID = "dev.borges.protocol.types.Uuid";
    static final String RECORDS = "dev.borges.protocol.record.Records";
    static final String LIST = "java.util.List";
    static final String ARRAY_LIST = "java.util.ArrayList";
    static final String BYTE_BUFFER = "java.nio.ByteBuffer";

    private TypeMapping() {
    }

    static String javaType(FieldSpec field) {
        return javaType(field.type(), field.zeroCopy());
    }

    static String javaType(FieldType type, boolean zeroCopy) {
        if (type instanceof ArrayType array) {
            return LIST + "<" + boxedType(array.element()) + ">";
        }
        if (type instanceof StructType struct) {
            return struct.name();
        }
        return switch ((Primitive) type) {
            case BOOL -> "boolean";
            case INT8 -> "byte";
            case INT16 -> "short";
            case UINT16, INT32 -> "int";
            case UINT32, INT64 -> "long";
            case FLOAT64 -> "double";
            case UUID -> UUID;
            case STRING -> "String";
            case BYTES -> zeroCopy ? BYTE_BUFFER : "byte[]";
            case RECORDS -> RECORDS;
        };
    }

    static String boxedType(FieldType type) {
        if (type instanceof Primitive primitive) {
            return switch (primitive) {
                case BOOL -> "Boolean";
                case INT8 -> "Byte";
                case INT16 -> "Short";
                case UINT16, INT32 -> "Integer";
                case UINT32, INT64 -> "Long";
                case FLOAT64 -> "Double";
                case BYTES -> throw new SchemaException("arrays of bytes are not supported");
                default -> javaType(type, false);
            };
        }
        return javaType(type, false);
    }

    /** The value a field has before it is set, and after reading a version that lacks it. */
    static String defaultValue(FieldSpec field) {
        String text = field.defaultValue();
        FieldType type = field.type();
        if (field.defaultIsNull()) {
            if (field.nullableVersions().isEmpty()) {
                throw new SchemaException("field " + field.name() + " defaults to null but is never nullable");
            }
            return "null";
        }
        if (type instanceof ArrayType) {
            return "new " + ARRAY_LIST + "<>(0)";
        }
        if (type instanceof StructType struct) {
            return "new " + struct.name() + "()";
        }
        return switch ((Primitive) type) {
            case BOOL -> text == null ? "false" : Boolean.toString(Boolean.parseBoolean(text));
            case INT8 -> "(byte) " + integer(text, Byte.MIN_VALUE, Byte.MAX_VALUE);
            case INT16 -> "(short) " + integer(text, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> Long.toString(integer(text, 0, 65535));
            case INT32 -> Long.toString(integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case UINT32 -> integer(text, 0, 4294967295L) + "L";
            case INT64 -> integer(text, Long.MIN_VALUE, Long.MAX_VALUE) + "L";
            case FLOAT64 -> text == null ? "0.0" : Double.toString(Double.parseDouble(text));
            case UUID -> UUID + ".ZERO";
            case STRING -> Names.stringLiteral(text == null ? "" : text);
            case BYTES -> field.zeroCopy() ? BYTE_BUFFER + ".allocate(0)" : "new byte[0]";
            case RECORDS -> "null";
        };
    }

    /** A boolean Java expression: {@code value} equals the field's default. */
    static String isDefault(FieldSpec field, String value) {
        String defaultValue = defaultValue(field);
        FieldType type = field.type();
        if (defaultValue.equals("null")) {
            return value + " == null";
        }
        if (type instanceof ArrayType) {
            return "(" + value + " != null && " + value + ".isEmpty())";
        }
        if (type instanceof StructType) {
            return ((StructType) type).name() + ".DEFAULT_VALUES.equals(" + value + ")";
        }
        return switch ((Primitive) type) {
            case FLOAT64 -> "Double.compare(" + value + ", " + defaultValue + ") == 0";
            case UUID, STRING -> defaultValue + ".equals(" + value + ")";
            case BYTES -> field.zeroCopy()
                ? "(" + value + " != null && !" + value + ".hasRemaining())"
                : "(" + value + " != null && " + value + ".length == 0)";
            default -> value + " == " + defaultValue;
        };
    }

    private static long integer(String text, long min, long max) {
        if (text == null) {
            return 0;
        }
        String trimmed = text.trim();
        boolean negative = trimmed.startsWith("-");
        String digits = negative ? trimmed.substring(1) : trimmed;
        long value;
        try {
            if (digits.startsWith("0x") || digits.startsWith("0X")) {
                value = Long.parseLong(digits.substring(2), 16);
            } else if (digits.length() > 1 && digits.startsWith("0")) {
                value = Long.parseLong(digits.substring(1), 8);
            } else {
                value = Long.parseLong(digits);
            }
        } catch (NumberFormatException e) {
            throw new SchemaException("invalid integer default '" + text + "'");
        }
        value = negative ? -value : value;
        if (value < min || value > max) {
            throw new SchemaException("default " + text + " is out of range");
        }
        return value;
    }
}
