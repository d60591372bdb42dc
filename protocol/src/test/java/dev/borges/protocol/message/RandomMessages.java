package dev.borges.protocol.message;

import dev.borges.protocol.generator.spec.FieldSpec;
import dev.borges.protocol.generator.spec.FieldType;
import dev.borges.protocol.generator.spec.FieldType.ArrayType;
import dev.borges.protocol.generator.spec.FieldType.Primitive;
import dev.borges.protocol.generator.spec.FieldType.StructType;
import dev.borges.protocol.generator.spec.MessageSpec;
import dev.borges.protocol.generator.spec.StructRegistry;
import dev.borges.protocol.generator.spec.StructSpec;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.types.Message;
import dev.borges.protocol.types.Uuid;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Builds a generated message filled with random values for one version, guided by its schema:
 * every field the version carries gets a random value (null sometimes, where the version allows
 * it; tagged fields sometimes left at their default so both "present" and "omitted" are covered;
 * now and then unknown tagged fields and lengths past 127, where compact lengths take two bytes);
 * fields the version lacks keep their defaults, since writing them would be refused.
 * The same seed always builds the same message.
 */
final class RandomMessages {
    private static final String CHARACTERS = "abcXYZ019 -_.:/é中Ω\u00ff\u0800";
    private static final String[] SUPPLEMENTARY = {"😀", "𝄞"};

    private final MessageSpec spec;
    private final StructRegistry structs;
    private final short version;
    private final Random random;
    private int depth;

    RandomMessages(MessageSpec spec, short version, long seed) {
        this.spec = spec;
        this.structs = MessageSchemas.structs(spec);
        this.version = version;
        this.random = new Random(seed);
    }

    Message build() {
        Message message = newInstance(MessageSchemas.ourClass(spec));
        fill(message, spec.fields());
        return message;
    }

    private Message buildStruct(StructSpec struct) {
        Message message = newInstance(MessageSchemas.ourStructClass(spec, struct));
        fill(message, struct.fields());
        return message;
    }

    private void fill(Message target, List<FieldSpec> fields) {
        depth++;
        for (FieldSpec field : fields) {
            if (!field.versions().contains(version)) {
                continue;
            }
            if (field.isTagged() && (!field.taggedVersions().contains(version) || random.nextInt(3) == 0)) {
                continue;
            }
            boolean nullable = field.nullableVersions().contains(version);
            Object value = nullable && random.nextInt(5) == 0 ? null : value(field, field.type());
            set(target, field, value);
        }
        if (spec.flexibleVersions().contains(version) && random.nextInt(6) == 0) {
            addUnknownTaggedFields(target, fields);
        }
        depth--;
    }

    /** Tags this struct does not declare, in ascending order as a reader would have found them. */
    private void addUnknownTaggedFields(Message target, List<FieldSpec> fields) {
        java.util.Set<Integer> declared = new java.util.HashSet<>();
        fields.stream().filter(FieldSpec::isTagged).forEach(f -> declared.add(f.tag()));
        int tag = random.nextInt(3);
        for (int i = 0; i < 1 + random.nextInt(2); i++) {
            while (declared.contains(tag)) {
                tag++;
            }
            target.unknownTaggedFields().add(new dev.borges.protocol.types.RawTaggedField(tag, bytes(random.nextInt(10) == 0 ? 200 : 6)));
            tag += 1 + random.nextInt(3);
        }
    }

    private Object value(FieldSpec field, FieldType type) {
        if (type instanceof ArrayType array) {
            List<Object> list = new ArrayList<>();
            // Now and then a long top-level array of primitives, so compact lengths need two varint bytes.
            boolean longArray = depth == 1 && array.element() instanceof Primitive && random.nextInt(12) == 0;
            int count = longArray ? 127 + random.nextInt(40) : random.nextInt(4);
            for (int i = 0; i < count; i++) {
                list.add(value(field, array.element()));
            }
            return list;
        }
        if (type instanceof StructType struct) {
            return buildStruct(structs.get(struct.name()));
        }
        return switch ((Primitive) type) {
            case BOOL -> random.nextBoolean();
            case INT8 -> (byte) random.nextInt();
            case INT16 -> (short) interestingInt();
            case UINT16 -> random.nextInt(65536);
            case INT32 -> interestingInt();
            case UINT32 -> random.nextLong() & 0xffffffffL;
            case INT64 -> random.nextBoolean() ? (long) interestingInt() : random.nextLong();
            case FLOAT64 -> random.nextBoolean() ? random.nextDouble() * 1e6 : -random.nextDouble();
            case UUID -> random.nextInt(4) == 0 ? Uuid.ZERO : new Uuid(random.nextLong(), random.nextLong());
            case STRING -> string();
            case BYTES -> field.zeroCopy() ? ByteBuffer.wrap(bytes(maxLength(24))) : bytes(maxLength(24));
            case RECORDS -> MemoryRecords.readableView(ByteBuffer.wrap(bytes(maxLength(64))));
        };
    }

    private int interestingInt() {
        return switch (random.nextInt(4)) {
            case 0 -> -1;
            case 1 -> random.nextInt(100);
            default -> random.nextInt();
        };
    }

    /** Usually short; now and then past 127 bytes, where compact lengths take two varint bytes. */
    private int maxLength(int usual) {
        return random.nextInt(10) == 0 ? 400 : usual;
    }

    private String string() {
        int length = random.nextInt(maxLength(12));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(10) == 0) {
                text.append(SUPPLEMENTARY[random.nextInt(SUPPLEMENTARY.length)]);
            } else {
                text.append(CHARACTERS.charAt(random.nextInt(CHARACTERS.length())));
            }
        }
        return text.toString();
    }

    private byte[] bytes(int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    private static Message newInstance(Class<?> type) {
        try {
            return (Message) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot create " + type.getName(), e);
        }
    }

    private static void set(Message target, FieldSpec field, Object value) {
        String setter = "set" + Character.toUpperCase(field.name().charAt(0)) + field.name().substring(1);
        for (Method method : target.getClass().getMethods()) {
            if (method.getName().equals(setter) && method.getParameterCount() == 1) {
                try {
                    method.invoke(target, value);
                    return;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot set " + field.name() + " on " + target.getClass().getName(), e);
                }
            }
        }
        throw new IllegalStateException("No setter " + setter + " on " + target.getClass().getName());
    }
}
