package dev.borges.protocol.generator.emit;

import dev.borges.protocol.generator.spec.FieldSpec;
import dev.borges.protocol.generator.spec.FieldType;
import dev.borges.protocol.generator.spec.FieldType.Primitive;
import dev.borges.protocol.generator.spec.MessageSpec;
import dev.borges.protocol.generator.spec.SchemaException;
import dev.borges.protocol.generator.spec.StructSpec;
import dev.borges.protocol.generator.spec.Versions;
import java.util.Comparator;
import java.util.List;

/**
 * Emits one class for one struct: the top-level message class, or a nested static class for a
 * struct it uses. The class has a field, accessor and fluent setter per schema field, and
 * {@code read}, {@code write}, {@code size}, {@code equals}, {@code hashCode}, {@code toString}.
 *
 * <p>Within the generated methods, {@code version} is the message version (nested structs are
 * always read and written at their message's version), and flexibility follows the message's
 * {@code flexibleVersions}, except for a field that overrides it.
 */
final class StructEmitter {
    private static final String TYPES = "dev.borges.protocol.types.";

    private final MessageSpec message;
    private final StructSpec struct;
    private final boolean topLevel;
    private final String className;
    /** Versions in which this struct can be read or written. */
    private final Versions context;
    private final CodeBuffer code;
    private final FieldCodecEmitter codec;

    StructEmitter(MessageSpec message, StructSpec struct, boolean topLevel, CodeBuffer code) {
        this.message = message;
        this.struct = struct;
        this.topLevel = topLevel;
        this.className = topLevel ? message.className() : struct.name();
        this.context = struct.versions().intersect(message.validVersions());
        this.code = code;
        this.codec = new FieldCodecEmitter(code);
        for (FieldSpec field : struct.fields()) {
            validate(field);
        }
    }

    private void validate(FieldSpec field) {
        if (field.isTagged()) {
            if (!message.flexibleVersions().containsAll(field.taggedVersions().intersect(context))) {
                throw new SchemaException("tagged field " + field.name() + " is tagged in non-flexible versions");
            }
            if (!field.taggedVersions().containsAll(field.versions().intersect(context))) {
                throw new SchemaException("field " + field.name() + " is tagged in only some of its versions");
            }
        }
    }

    void emitClassOpening() {
        if (!struct.fields().isEmpty() || topLevel) {
            code.line("/**");
            code.line(" * %s", topLevel ? "The " + message.name() + " " + message.type() + ", versions " + message.validVersions() + "."
                : "Struct " + struct.name() + " of " + message.name() + ".");
            code.line(" */");
        }
        String interfaceName = topLevel && message.apiKey() != null ? "ApiMessage" : "Message";
        code.line("public %sfinal class %s implements %s%s {", topLevel ? "" : "static ", className, TYPES, interfaceName);
        if (topLevel && message.apiKey() != null) {
            code.line("public static final short API_KEY = %d;", message.apiKey());
        }
        code.line("public static final short LOWEST_SUPPORTED_VERSION = %d;", context.lowest());
        code.line("public static final short HIGHEST_SUPPORTED_VERSION = %d;", context.highest());
        code.blank();
        for (FieldSpec field : struct.fields()) {
            if (!field.about().isEmpty()) {
                code.line("/** %s */", Names.javadoc(field.about()));
            }
            code.line("private %s %s;", TypeMapping.javaType(field), Names.fieldName(field.name()));
        }
        code.line("private java.util.List<%sRawTaggedField> unknownTaggedFields;", TYPES);
        if (!topLevel) {
            code.line("/** For \"is this field at its default\" checks; never handed out, so never changed. */");
            code.line("private static final %s DEFAULT_VALUES = new %s();", className, className);
        }
        code.blank();
        emitConstructors();
        emitAccessors();
        emitRead();
        emitWrite();
        emitSize();
        emitEquals();
        emitHashCode();
        emitToString();
    }

    void emitClassClosing() {
        code.line("}");
    }

    private void emitConstructors() {
        code.line("public %s() {", className);
        for (FieldSpec field : struct.fields()) {
            code.line("this.%s = %s;", Names.fieldName(field.name()), TypeMapping.defaultValue(field));
        }
        code.line("}");
        code.blank();
        code.line("public %s(%sProtocolReader reader, short version) {", className, TYPES);
        code.line("read(reader, version);");
        code.line("}");
        code.blank();
    }

    private void emitAccessors() {
        if (topLevel && message.apiKey() != null) {
            code.line("@Override");
            code.line("public short apiKey() {");
            code.line("return API_KEY;");
            code.line("}");
            code.blank();
        }
        code.line("@Override");
        code.line("public short lowestSupportedVersion() {");
        code.line("return LOWEST_SUPPORTED_VERSION;");
        code.line("}");
        code.blank();
        code.line("@Override");
        code.line("public short highestSupportedVersion() {");
        code.line("return HIGHEST_SUPPORTED_VERSION;");
        code.line("}");
        code.blank();
        for (FieldSpec field : struct.fields()) {
            String name = Names.fieldName(field.name());
            String type = TypeMapping.javaType(field);
            code.line("public %s %s() {", type, name);
            code.line("return this.%s;", name);
            code.line("}");
            code.blank();
            code.line("public %s %s(%s value) {", className, Names.setterName(field.name()), type);
            emitUnsignedRangeCheck(field);
            code.line("this.%s = value;", name);
            code.line("return this;");
            code.line("}");
            code.blank();
        }
        code.line("@Override");
        code.line("public java.util.List<%sRawTaggedField> unknownTaggedFields() {", TYPES);
        code.line("if (this.unknownTaggedFields == null) {");
        code.line("this.unknownTaggedFields = new java.util.ArrayList<>(0);");
        code.line("}");
        code.line("return this.unknownTaggedFields;");
        code.line("}");
        code.blank();
    }

    /** Unsigned fields hold wider Java types; a value that does not fit would be silently truncated on write. */
    private void emitUnsignedRangeCheck(FieldSpec field) {
        String max = field.type() == Primitive.UINT16 ? "65535" : field.type() == Primitive.UINT32 ? "4294967295L" : null;
        if (max != null) {
            code.line("if (value < 0 || value > %s) {", max);
            code.line("throw new IllegalArgumentException(\"%s must be between 0 and %s, not \" + value);",
                Names.fieldName(field.name()), max.replace("L", ""));
            code.line("}");
        }
    }

    private void emitVersionCheck(String verb) {
        if (topLevel) {
            code.line("if (version < LOWEST_SUPPORTED_VERSION || version > HIGHEST_SUPPORTED_VERSION) {");
            code.line("throw new dev.borges.protocol.UnsupportedVersionException(\"Can't %s version \" + version + \" of %s; versions %s are supported\");",
                verb, message.name(), message.validVersions());
            code.line("}");
        }
    }

    /** Declares the {@code flexible} local and returns the expression to use for it. */
    private String declareFlexible() {
        String condition = VersionCondition.of(message.flexibleVersions(), context);
        if (condition.equals(VersionCondition.ALWAYS) || condition.equals(VersionCondition.NEVER)) {
            return condition;
        }
        code.line("boolean flexible = %s;", condition);
        return "flexible";
    }

    private String flexibleFor(FieldSpec field, String messageFlexible) {
        if (field.flexibleVersions() == null) {
            return messageFlexible;
        }
        return VersionCondition.of(field.flexibleVersions(), field.versions().intersect(context));
    }

    private String nullableFor(FieldSpec field, Versions presence) {
        return VersionCondition.of(field.nullableVersions(), presence.intersect(context));
    }

    private Versions taggedPresence(FieldSpec field) {
        return field.taggedVersions().intersect(field.versions()).intersect(context);
    }

    private List<FieldSpec> regularFields() {
        return struct.fields().stream().filter(f -> !f.isTagged()).toList();
    }

    private List<FieldSpec> taggedFields() {
        return struct.fields().stream().filter(FieldSpec::isTagged).sorted(Comparator.comparing(FieldSpec::tag)).toList();
    }

    // ---- read -----------------------------------------------------------------------------------

    private void emitRead() {
        code.line("@Override");
        code.line("public void read(%sProtocolReader reader, short version) {", TYPES);
        emitVersionCheck("read");
        String flexible = declareFlexible();
        code.line("this.unknownTaggedFields = null;");
        for (FieldSpec field : regularFields()) {
            String name = Names.fieldName(field.name());
            String present = VersionCondition.of(field.versions(), context);
            String assign = "this." + name + " = %s;";
            if (present.equals(VersionCondition.NEVER)) {
                code.line(assign.formatted(TypeMapping.defaultValue(field)));
                continue;
            }
            boolean conditional = !present.equals(VersionCondition.ALWAYS);
            if (conditional) {
                code.line("if (%s) {", present);
            }
            codec.read(field, field.type(), assign, flexibleFor(field, flexible), nullableFor(field, field.versions()), 0);
            if (conditional) {
                code.line("} else {");
                code.line(assign.formatted(TypeMapping.defaultValue(field)));
                code.line("}");
            }
        }
        for (FieldSpec field : taggedFields()) {
            code.line("this.%s = %s;", Names.fieldName(field.name()), TypeMapping.defaultValue(field));
        }
        if (!flexible.equals(VersionCondition.NEVER)) {
            emitReadTaggedSection(flexible);
        }
        code.line("}");
        code.blank();
    }

    private void emitReadTaggedSection(String flexible) {
        boolean conditional = !flexible.equals(VersionCondition.ALWAYS);
        if (conditional) {
            code.line("if (%s) {", flexible);
        }
        code.line("int taggedFieldCount = reader.readUnsignedVarint();");
        code.line("reader.checkCount(taggedFieldCount, 2, \"tagged fields\");");
        code.line("for (int t = 0; t < taggedFieldCount; t++) {");
        code.line("int tag = reader.readUnsignedVarint();");
        code.line("int taggedSize = reader.readUnsignedVarint();");
        code.line("reader.checkTaggedFieldSize(tag, taggedSize);");
        boolean anyKnown = taggedFields().stream()
            .anyMatch(f -> !VersionCondition.of(f.taggedVersions().intersect(f.versions()), context).equals(VersionCondition.NEVER));
        if (anyKnown) {
            code.line("int taggedEnd = reader.position() + taggedSize;");
        }
        String keyword = "if";
        for (FieldSpec field : taggedFields()) {
            String present = VersionCondition.of(field.taggedVersions().intersect(field.versions()), context);
            if (present.equals(VersionCondition.NEVER)) {
                continue;
            }
            String condition = "tag == " + field.tag() + (present.equals(VersionCondition.ALWAYS) ? "" : " && (" + present + ")");
            code.line("%s (%s) {", keyword.equals("if") ? "if" : "} else if", condition);
            keyword = "else if";
            codec.read(field, field.type(), "this." + Names.fieldName(field.name()) + " = %s;",
                VersionCondition.ALWAYS, nullableFor(field, taggedPresence(field)), 0);
            code.line("reader.checkTaggedFieldEnd(tag, taggedEnd);");
        }
        if (keyword.equals("if")) {
            code.line("{");
        } else {
            code.line("} else {");
        }
        code.line("unknownTaggedFields().add(new %sRawTaggedField(tag, reader.readByteArray(taggedSize, \"tagged field\")));", TYPES);
        code.line("}");
        code.line("}");
        if (conditional) {
            code.line("}");
        }
    }

    // ---- write ----------------------------------------------------------------------------------

    private void emitWrite() {
        code.line("@Override");
        code.line("public void write(%sProtocolWriter writer, short version) {", TYPES);
        emitVersionCheck("write");
        String flexible = declareFlexible();
        for (FieldSpec field : regularFields()) {
            String value = "this." + Names.fieldName(field.name());
            String present = VersionCondition.of(field.versions(), context);
            if (present.equals(VersionCondition.ALWAYS)) {
                codec.write(field, field.type(), value, flexibleFor(field, flexible), nullableFor(field, field.versions()), 0);
            } else if (present.equals(VersionCondition.NEVER)) {
                emitNonDefaultCheck(field, value);
            } else {
                code.line("if (%s) {", present);
                codec.write(field, field.type(), value, flexibleFor(field, flexible), nullableFor(field, field.versions()), 0);
                if (!field.ignorable()) {
                    code.line("} else {");
                    emitNonDefaultCheck(field, value);
                }
                code.line("}");
            }
        }
        code.line("int taggedFieldCount = this.unknownTaggedFields == null ? 0 : this.unknownTaggedFields.size();");
        for (FieldSpec field : taggedFields()) {
            String value = "this." + Names.fieldName(field.name());
            String present = VersionCondition.of(field.taggedVersions().intersect(field.versions()), context);
            if (!present.equals(VersionCondition.NEVER)) {
                code.line("if (%s) {", present.equals(VersionCondition.ALWAYS) ? "!(" + TypeMapping.isDefault(field, value) + ")"
                    : "(" + present + ") && !(" + TypeMapping.isDefault(field, value) + ")");
                code.line("taggedFieldCount++;");
                code.line("}");
            }
            if (!present.equals(VersionCondition.ALWAYS) && !field.ignorable()) {
                if (!present.equals(VersionCondition.NEVER)) {
                    code.line("if (!(%s)) {", present);
                }
                emitNonDefaultCheck(field, value);
                if (!present.equals(VersionCondition.NEVER)) {
                    code.line("}");
                }
            }
        }
        if (flexible.equals(VersionCondition.NEVER)) {
            emitNoTaggedFieldsCheck();
        } else {
            boolean conditional = !flexible.equals(VersionCondition.ALWAYS);
            if (conditional) {
                code.line("if (%s) {", flexible);
            }
            code.line("writer.writeUnsignedVarint(taggedFieldCount);");
            code.line("%sRawTaggedFieldWriter rawWriter = new %sRawTaggedFieldWriter(this.unknownTaggedFields);", TYPES, TYPES);
            for (FieldSpec field : taggedFields()) {
                String value = "this." + Names.fieldName(field.name());
                String present = VersionCondition.of(field.taggedVersions().intersect(field.versions()), context);
                if (present.equals(VersionCondition.NEVER)) {
                    continue;
                }
                code.line("if (%s!(%s)) {", present.equals(VersionCondition.ALWAYS) ? "" : "(" + present + ") && ",
                    TypeMapping.isDefault(field, value));
                code.line("rawWriter.writeBelow(%d, writer);", field.tag());
                code.line("int taggedSize = 0;");
                String nullable = nullableFor(field, taggedPresence(field));
                codec.size(field, field.type(), value, VersionCondition.ALWAYS, nullable, "taggedSize", 0);
                code.line("writer.writeUnsignedVarint(%d);", field.tag());
                code.line("writer.writeUnsignedVarint(taggedSize);");
                codec.write(field, field.type(), value, VersionCondition.ALWAYS, nullable, 0);
                code.line("}");
            }
            code.line("rawWriter.writeRest(writer);");
            if (conditional) {
                code.line("} else {");
                emitNoTaggedFieldsCheck();
                code.line("}");
            }
        }
        code.line("}");
        code.blank();
    }

    private void emitNoTaggedFieldsCheck() {
        code.line("if (taggedFieldCount > 0) {");
        code.line("throw new dev.borges.protocol.UnsupportedVersionException(\"Tagged fields were set, but version \" + version + \" of %s does not support them\");",
            className);
        code.line("}");
    }

    /** Writing a version that lacks the field would silently drop a non-default value: refuse. */
    private void emitNonDefaultCheck(FieldSpec field, String value) {
        if (field.ignorable()) {
            return;
        }
        code.line("if (!(%s)) {", TypeMapping.isDefault(field, value));
        code.line("throw new dev.borges.protocol.UnsupportedVersionException(\"Attempted to write a non-default %s at version \" + version + \" of %s\");",
            Names.fieldName(field.name()), message.name());
        code.line("}");
    }

    // ---- size -----------------------------------------------------------------------------------

    private void emitSize() {
        code.line("@Override");
        code.line("public int size(short version) {");
        String flexible = declareFlexible();
        code.line("int totalSize = 0;");
        for (FieldSpec field : regularFields()) {
            String present = VersionCondition.of(field.versions(), context);
            if (present.equals(VersionCondition.NEVER)) {
                continue;
            }
            boolean conditional = !present.equals(VersionCondition.ALWAYS);
            if (conditional) {
                code.line("if (%s) {", present);
            }
            codec.size(field, field.type(), "this." + Names.fieldName(field.name()), flexibleFor(field, flexible),
                nullableFor(field, field.versions()), "totalSize", 0);
            if (conditional) {
                code.line("}");
            }
        }
        if (!flexible.equals(VersionCondition.NEVER)) {
            boolean conditional = !flexible.equals(VersionCondition.ALWAYS);
            if (conditional) {
                code.line("if (%s) {", flexible);
            }
            code.line("int taggedFieldCount = 0;");
            for (FieldSpec field : taggedFields()) {
                String value = "this." + Names.fieldName(field.name());
                String present = VersionCondition.of(field.taggedVersions().intersect(field.versions()), context);
                if (present.equals(VersionCondition.NEVER)) {
                    continue;
                }
                code.line("if (%s!(%s)) {", present.equals(VersionCondition.ALWAYS) ? "" : "(" + present + ") && ",
                    TypeMapping.isDefault(field, value));
                code.line("taggedFieldCount++;");
                code.line("int taggedSize = 0;");
                codec.size(field, field.type(), value, VersionCondition.ALWAYS, nullableFor(field, taggedPresence(field)),
                    "taggedSize", 0);
                code.line("totalSize += %sVarints.sizeOfUnsignedVarint(%d) + %sVarints.sizeOfUnsignedVarint(taggedSize) + taggedSize;",
                    TYPES, field.tag(), TYPES);
                code.line("}");
            }
            code.line("if (this.unknownTaggedFields != null) {");
            code.line("taggedFieldCount += this.unknownTaggedFields.size();");
            code.line("totalSize += %sRawTaggedFieldWriter.sizeOf(this.unknownTaggedFields);", TYPES);
            code.line("}");
            code.line("totalSize += %sVarints.sizeOfUnsignedVarint(taggedFieldCount);", TYPES);
            if (conditional) {
                code.line("}");
            }
        }
        code.line("return totalSize;");
        code.line("}");
        code.blank();
    }

    // ---- equals, hashCode, toString ---------------------------------------------------------------

    private void emitEquals() {
        code.line("@Override");
        code.line("public boolean equals(Object object) {");
        code.line("if (this == object) {");
        code.line("return true;");
        code.line("}");
        code.line("if (!(object instanceof %s)) {", className);
        code.line("return false;");
        code.line("}");
        code.line("%s that = (%s) object;", className, className);
        for (FieldSpec field : struct.fields()) {
            String name = Names.fieldName(field.name());
            code.line("if (!(%s)) {", equalsExpression(field.type(), field.zeroCopy(), "this." + name, "that." + name));
            code.line("return false;");
            code.line("}");
        }
        code.line("return %sRawTaggedFieldWriter.sameFields(this.unknownTaggedFields, that.unknownTaggedFields);", TYPES);
        code.line("}");
        code.blank();
    }

    private static String equalsExpression(FieldType type, boolean zeroCopy, String a, String b) {
        if (type instanceof Primitive primitive) {
            return switch (primitive) {
                case BOOL, INT8, INT16, UINT16, INT32, UINT32, INT64 -> a + " == " + b;
                case FLOAT64 -> "Double.compare(" + a + ", " + b + ") == 0";
                case BYTES -> zeroCopy ? "java.util.Objects.equals(" + a + ", " + b + ")" : "java.util.Arrays.equals(" + a + ", " + b + ")";
                default -> "java.util.Objects.equals(" + a + ", " + b + ")";
            };
        }
        return "java.util.Objects.equals(" + a + ", " + b + ")";
    }

    private void emitHashCode() {
        code.line("@Override");
        code.line("public int hashCode() {");
        code.line("int hash = 0;");
        for (FieldSpec field : struct.fields()) {
            String value = "this." + Names.fieldName(field.name());
            String hash = field.type() instanceof Primitive primitive ? switch (primitive) {
                case BOOL -> "Boolean.hashCode(" + value + ")";
                case INT8, INT16, UINT16, INT32 -> value;
                case UINT32, INT64 -> "Long.hashCode(" + value + ")";
                case FLOAT64 -> "Double.hashCode(" + value + ")";
                case BYTES -> field.zeroCopy() ? "java.util.Objects.hashCode(" + value + ")" : "java.util.Arrays.hashCode(" + value + ")";
                default -> "java.util.Objects.hashCode(" + value + ")";
            } : "java.util.Objects.hashCode(" + value + ")";
            code.line("hash = 31 * hash + %s;", hash);
        }
        code.line("return hash;");
        code.line("}");
        code.blank();
    }

    private void emitToString() {
        code.line("@Override");
        code.line("public String toString() {");
        code.line("return \"%s(\"", className);
        String separator = "";
        for (FieldSpec field : struct.fields()) {
            String value = "this." + Names.fieldName(field.name());
            if (field.type() == Primitive.BYTES && !field.zeroCopy()) {
                value = "java.util.Arrays.toString(" + value + ")";
            }
            code.line("    + \"%s%s=\" + %s", separator, Names.fieldName(field.name()), value);
            separator = ", ";
        }
        code.line("    + \")\";");
        code.line("}");
    }
}
