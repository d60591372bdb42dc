package dev.borges.protocol.generator.emit;

import dev.borges.protocol.generator.spec.FieldSpec;
import dev.borges.protocol.generator.spec.FieldType;
import dev.borges.protocol.generator.spec.FieldType.ArrayType;
import dev.borges.protocol.generator.spec.FieldType.Primitive;
import dev.borges.protocol.generator.spec.FieldType.StructType;

/**
 * Emits the statements that read, write and size one value of a field's type. Arrays recurse
 * into their element type; locals carry the nesting depth in their names so nested arrays do not
 * shadow each other.
 *
 * <p>Three conditions shape the code, each a Java boolean expression (or the constants
 * {@code "true"}/{@code "false"}, which make javac drop the dead branch):
 * <ul>
 *   <li>{@code flexible}: compact lengths (unsigned varint of length + 1) instead of int16/int32;</li>
 *   <li>{@code nullable}: whether null may be read or written at this version;</li>
 *   <li>the field's presence, which the caller has already checked.</li>
 * </ul>
 * On the wire: strings are int16 or compact lengths, bytes/records/arrays int32 or compact lengths,
 * -1 (compact: 0) meaning null; a nullable struct is preceded by an int8, -1 for null and 1 for present.
 */
final class FieldCodecEmitter {
    private static final String READER = "dev.borges.protocol.types.ProtocolReader";
    private static final String VARINTS = "dev.borges.protocol.types.Varints";
    private static final String UTF8 = "dev.borges.protocol.types.Utf8";

    private final CodeBuffer code;

    FieldCodecEmitter(CodeBuffer code) {
        this.code = code;
    }

    // ---- read ---------------------------------------------------------------------------------

    /**
     * Reads a value and passes it to {@code assign}, a format with one {@code %s} such as
     * {@code "this.topics = %s;"}.
     */
    void read(FieldSpec field, FieldType type, String assign, String flexible, String nullable, int depth) {
        String name = field.name();
        if (type instanceof ArrayType array) {
            readArray(field, array, assign, flexible, nullable, depth);
        } else if (type instanceof StructType struct) {
            String present = assign.formatted("new " + struct.name() + "(reader, version)");
            if (nullable.equals(VersionCondition.NEVER)) {
                code.line(present);
            } else {
                code.line("if (%sreader.readByte() < 0) {", nullable.equals(VersionCondition.ALWAYS) ? "" : "(" + nullable + ") && ");
                code.line(assign.formatted("null"));
                code.line("} else {");
                code.line(present);
                code.line("}");
            }
        } else {
            Primitive primitive = (Primitive) type;
            switch (primitive) {
                case BOOL -> code.line(assign.formatted("reader.readBoolean()"));
                case INT8 -> code.line(assign.formatted("reader.readByte()"));
                case INT16 -> code.line(assign.formatted("reader.readShort()"));
                case UINT16 -> code.line(assign.formatted("reader.readUnsignedShort()"));
                case INT32 -> code.line(assign.formatted("reader.readInt()"));
                case UINT32 -> code.line(assign.formatted("reader.readUnsignedInt()"));
                case INT64 -> code.line(assign.formatted("reader.readLong()"));
                case FLOAT64 -> code.line(assign.formatted("reader.readDouble()"));
                case UUID -> code.line(assign.formatted("reader.readUuid()"));
                case STRING, BYTES, RECORDS -> readVariableLength(field, primitive, assign, flexible, nullable, depth, name);
            }
        }
    }

    private void readVariableLength(FieldSpec field, Primitive type, String assign, String flexible, String nullable,
                                    int depth, String name) {
        String length = "length" + depth;
        String classicKind = type == Primitive.STRING ? "INT16" : "INT32";
        code.line("{");
        code.line("int %s = reader.readLength(%s, %s);", length, lengthKind(flexible, classicKind), Names.stringLiteral(name));
        code.line("if (%s < 0) {", length);
        readNull(assign, nullable, name);
        if (type == Primitive.STRING) {
            code.line("} else if (%s > 0x7fff) {", length);
            code.line("throw new dev.borges.protocol.MalformedMessageException(\"String field '%s' is \" + %s + \" bytes, over the 32767 limit\");",
                name, length);
        }
        code.line("} else {");
        String value = switch (type) {
            case STRING -> "reader.readString(%s, %s)";
            case RECORDS -> "reader.readRecords(%s, %s)";
            default -> field.zeroCopy() ? "reader.readByteBufferView(%s, %s)" : "reader.readByteArray(%s, %s)";
        };
        code.line(assign.formatted(value.formatted(length, Names.stringLiteral(name))));
        code.line("}");
        code.line("}");
    }

    private void readArray(FieldSpec field, ArrayType array, String assign, String flexible, String nullable, int depth) {
        String name = field.name();
        String count = "count" + depth;
        String list = "list" + depth;
        String index = "i" + depth;
        code.line("{");
        code.line("int %s = reader.readLength(%s, %s);", count, lengthKind(flexible, "INT32"), Names.stringLiteral(name));
        code.line("if (%s < 0) {", count);
        readNull(assign, nullable, name);
        code.line("} else {");
        Integer fixed = fixedSize(array.element());
        code.line("reader.checkCount(%s, %d, %s);", count, fixed == null ? 1 : fixed, Names.stringLiteral(name));
        // Grow the list as elements actually arrive rather than trusting the count up front.
        code.line("%s<%s> %s = new %s<>(Math.min(%s, 64));", TypeMapping.ARRAY_LIST, TypeMapping.boxedType(array.element()), list,
            TypeMapping.ARRAY_LIST, count);
        code.line("for (int %s = 0; %s < %s; %s++) {", index, index, count, index);
        read(field, array.element(), list + ".add(%s);", flexible, VersionCondition.NEVER, depth + 1);
        code.line("}");
        code.line(assign.formatted(list));
        code.line("}");
        code.line("}");
    }

    private void readNull(String assign, String nullable, String name) {
        if (nullable.equals(VersionCondition.ALWAYS)) {
            code.line(assign.formatted("null"));
        } else if (nullable.equals(VersionCondition.NEVER)) {
            code.line("throw reader.unexpectedNull(%s);", Names.stringLiteral(name));
        } else {
            code.line("if (!(%s)) {", nullable);
            code.line("throw reader.unexpectedNull(%s);", Names.stringLiteral(name));
            code.line("}");
            code.line(assign.formatted("null"));
        }
    }

    private static String lengthKind(String flexible, String classicKind) {
        String prefix = READER + ".LengthKind.";
        return switch (flexible) {
            case VersionCondition.ALWAYS -> prefix + "COMPACT";
            case VersionCondition.NEVER -> prefix + classicKind;
            default -> "(" + flexible + ") ? " + prefix + "COMPACT : " + prefix + classicKind;
        };
    }

    // ---- write --------------------------------------------------------------------------------

    void write(FieldSpec field, FieldType type, String value, String flexible, String nullable, int depth) {
        if (type instanceof ArrayType array) {
            writeNullOr(field, value, flexible, nullable, "writer.writeInt(-1);", () -> {
                writeLength(flexible, value + ".size()", "writer.writeInt(%s);");
                String element = "element" + depth;
                code.line("for (%s %s : %s) {", TypeMapping.boxedType(array.element()), element, value);
                write(field, array.element(), element, flexible, VersionCondition.NEVER, depth + 1);
                code.line("}");
            });
        } else if (type instanceof StructType) {
            if (nullable.equals(VersionCondition.NEVER)) {
                code.line("%s.write(writer, version);", value);
            } else {
                boolean conditional = !nullable.equals(VersionCondition.ALWAYS);
                if (conditional) {
                    code.line("if (%s) {", nullable);
                }
                code.line("if (%s == null) {", value);
                code.line("writer.writeByte((byte) -1);");
                code.line("} else {");
                code.line("writer.writeByte((byte) 1);");
                code.line("%s.write(writer, version);", value);
                code.line("}");
                if (conditional) {
                    code.line("} else {");
                    code.line("%s.write(writer, version);", value);
                    code.line("}");
                }
            }
        } else {
            Primitive primitive = (Primitive) type;
            switch (primitive) {
                case BOOL -> code.line("writer.writeBoolean(%s);", value);
                case INT8 -> code.line("writer.writeByte(%s);", value);
                case INT16 -> code.line("writer.writeShort(%s);", value);
                case UINT16 -> code.line("writer.writeUnsignedShort(%s);", value);
                case INT32 -> code.line("writer.writeInt(%s);", value);
                case UINT32 -> code.line("writer.writeUnsignedInt(%s);", value);
                case INT64 -> code.line("writer.writeLong(%s);", value);
                case FLOAT64 -> code.line("writer.writeDouble(%s);", value);
                case UUID -> code.line("writer.writeUuid(%s);", value);
                case STRING -> writeNullOr(field, value, flexible, nullable, "writer.writeShort((short) -1);", () -> {
                    String bytes = "bytes" + depth;
                    code.line("byte[] %s = %s.getBytes(java.nio.charset.StandardCharsets.UTF_8);", bytes, value);
                    code.line("if (%s.length > 0x7fff) {", bytes);
                    code.line("throw new IllegalArgumentException(\"String field '%s' is \" + %s.length + \" bytes, over the 32767 limit\");",
                        field.name(), bytes);
                    code.line("}");
                    writeLength(flexible, bytes + ".length", "writer.writeShort((short) %s);");
                    code.line("writer.writeBytes(%s);", bytes);
                });
                case BYTES -> writeNullOr(field, value, flexible, nullable, "writer.writeInt(-1);", () -> {
                    writeLength(flexible, value + (field.zeroCopy() ? ".remaining()" : ".length"), "writer.writeInt(%s);");
                    code.line("writer.writeBytes(%s);", value);
                });
                case RECORDS -> writeNullOr(field, value, flexible, nullable, "writer.writeInt(-1);", () -> {
                    writeLength(flexible, value + ".sizeInBytes()", "writer.writeInt(%s);");
                    code.line("writer.writeRecords(%s);", value);
                });
            }
        }
    }

    /** Writes the null marker when the value is null (failing if null is not allowed), else runs {@code body}. */
    private void writeNullOr(FieldSpec field, String value, String flexible, String nullable, String classicNull,
                             Runnable body) {
        code.line("if (%s == null) {", value);
        if (nullable.equals(VersionCondition.NEVER)) {
            code.line("throw new IllegalArgumentException(\"Field '%s' is null, but it is not nullable in version \" + version);",
                field.name());
        } else {
            if (!nullable.equals(VersionCondition.ALWAYS)) {
                code.line("if (!(%s)) {", nullable);
                code.line("throw new IllegalArgumentException(\"Field '%s' is null, but it is not nullable in version \" + version);",
                    field.name());
                code.line("}");
            }
            switch (flexible) {
                case VersionCondition.ALWAYS -> code.line("writer.writeUnsignedVarint(0);");
                case VersionCondition.NEVER -> code.line(classicNull);
                default -> {
                    code.line("if (%s) {", flexible);
                    code.line("writer.writeUnsignedVarint(0);");
                    code.line("} else {");
                    code.line(classicNull);
                    code.line("}");
                }
            }
        }
        code.line("} else {");
        body.run();
        code.line("}");
    }

    private void writeLength(String flexible, String length, String classicFormat) {
        switch (flexible) {
            case VersionCondition.ALWAYS -> code.line("writer.writeUnsignedVarint(%s + 1);", length);
            case VersionCondition.NEVER -> code.line(classicFormat, length);
            default -> {
                code.line("if (%s) {", flexible);
                code.line("writer.writeUnsignedVarint(%s + 1);", length);
                code.line("} else {");
                code.line(classicFormat, length);
                code.line("}");
            }
        }
    }

    // ---- size ---------------------------------------------------------------------------------

    /** Adds the serialized size of {@code value} to the int local {@code sum}. */
    void size(FieldSpec field, FieldType type, String value, String flexible, String nullable, String sum, int depth) {
        if (type instanceof ArrayType array) {
            sizeNullOr(value, flexible, 4, sum, () -> {
                sizeLength(flexible, value + ".size()", 4, sum);
                Integer fixed = fixedSize(array.element());
                if (fixed != null) {
                    code.line("%s += %s.size() * %d;", sum, value, fixed);
                } else {
                    String element = "element" + depth;
                    code.line("for (%s %s : %s) {", TypeMapping.boxedType(array.element()), element, value);
                    size(field, array.element(), element, flexible, VersionCondition.NEVER, sum, depth + 1);
                    code.line("}");
                }
            });
        } else if (type instanceof StructType) {
            if (nullable.equals(VersionCondition.NEVER)) {
                code.line("%s += %s.size(version);", sum, value);
            } else {
                code.line("%s += %s;", sum, nullable.equals(VersionCondition.ALWAYS) ? "1" : "(" + nullable + ") ? 1 : 0");
                code.line("if (%s != null) {", value);
                code.line("%s += %s.size(version);", sum, value);
                code.line("}");
            }
        } else {
            Primitive primitive = (Primitive) type;
            Integer fixed = fixedSize(primitive);
            if (fixed != null) {
                code.line("%s += %d;", sum, fixed);
                return;
            }
            switch (primitive) {
                case STRING -> sizeNullOr(value, flexible, 2, sum, () -> {
                    String length = "length" + depth;
                    code.line("int %s = %s.encodedLength(%s);", length, UTF8, value);
                    sizeLength(flexible, length, 2, sum);
                    code.line("%s += %s;", sum, length);
                });
                case BYTES -> sizeNullOr(value, flexible, 4, sum, () -> {
                    String length = value + (field.zeroCopy() ? ".remaining()" : ".length");
                    sizeLength(flexible, length, 4, sum);
                    code.line("%s += %s;", sum, length);
                });
                case RECORDS -> sizeNullOr(value, flexible, 4, sum, () -> {
                    sizeLength(flexible, value + ".sizeInBytes()", 4, sum);
                    code.line("%s += %s.sizeInBytes();", sum, value);
                });
                default -> throw new IllegalStateException("unhandled type " + primitive);
            }
        }
    }

    private void sizeNullOr(String value, String flexible, int classicLengthBytes, String sum, Runnable body) {
        code.line("if (%s == null) {", value);
        code.line("%s += %s;", sum, flexibleChoice(flexible, "1", Integer.toString(classicLengthBytes)));
        code.line("} else {");
        body.run();
        code.line("}");
    }

    private void sizeLength(String flexible, String length, int classicBytes, String sum) {
        code.line("%s += %s;", sum, flexibleChoice(flexible, VARINTS + ".sizeOfUnsignedVarint(" + length + " + 1)",
            Integer.toString(classicBytes)));
    }

    private static String flexibleChoice(String flexible, String compact, String classic) {
        return switch (flexible) {
            case VersionCondition.ALWAYS -> compact;
            case VersionCondition.NEVER -> classic;
            default -> "((" + flexible + ") ? " + compact + " : " + classic + ")";
        };
    }

    static Integer fixedSize(FieldType type) {
        if (!(type instanceof Primitive primitive)) {
            return null;
        }
        return switch (primitive) {
            case BOOL, INT8 -> 1;
            case INT16, UINT16 -> 2;
            case INT32, UINT32 -> 4;
            case INT64, FLOAT64 -> 8;
            case UUID -> 16;
            default -> null;
        };
    }
}
