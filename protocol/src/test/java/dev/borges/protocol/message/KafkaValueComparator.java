package dev.borges.protocol.message;

import dev.borges.protocol.generator.spec.FieldSpec;
import dev.borges.protocol.generator.spec.FieldType;
import dev.borges.protocol.generator.spec.FieldType.ArrayType;
import dev.borges.protocol.generator.spec.FieldType.Primitive;
import dev.borges.protocol.generator.spec.FieldType.StructType;
import dev.borges.protocol.generator.spec.MessageSpec;
import dev.borges.protocol.generator.spec.StructRegistry;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Compares one of our message objects with kafka-clients' object for the same message, field by
 * field as the schema lists them, through the accessors both sides generate with the same names.
 * Every field is compared, including those the version lacks (so default values are checked too).
 * Returns the differences as readable paths, empty when the values are equal.
 */
final class KafkaValueComparator {
    private final StructRegistry structs;
    private final List<String> differences = new ArrayList<>();

    private KafkaValueComparator(MessageSpec spec) {
        this.structs = MessageSchemas.structs(spec);
    }

    static List<String> differences(MessageSpec spec, Object ours, Object kafka) {
        KafkaValueComparator comparator = new KafkaValueComparator(spec);
        comparator.compareFields(spec.name(), spec.fields(), ours, kafka);
        return comparator.differences;
    }

    private void compareFields(String path, List<FieldSpec> fields, Object ours, Object kafka) {
        for (FieldSpec field : fields) {
            String accessor = Character.toLowerCase(field.name().charAt(0)) + field.name().substring(1);
            compare(path + "." + field.name(), field.type(), call(ours, accessor), call(kafka, accessor));
        }
    }

    private void compare(String path, FieldType type, Object ours, Object kafka) {
        if (ours == null || kafka == null) {
            if (ours != kafka) {
                differences.add(path + ": ours=" + ours + " kafka=" + kafka);
            }
            return;
        }
        if (type instanceof ArrayType array) {
            Iterator<?> a = ((Iterable<?>) ours).iterator();
            Iterator<?> b = ((Iterable<?>) kafka).iterator();
            int index = 0;
            while (a.hasNext() && b.hasNext()) {
                compare(path + "[" + index++ + "]", array.element(), a.next(), b.next());
            }
            if (a.hasNext() || b.hasNext()) {
                differences.add(path + ": different number of elements");
            }
        } else if (type instanceof StructType struct) {
            compareFields(path, structs.get(struct.name()).fields(), ours, kafka);
        } else {
            Object normalizedOurs = normalize((Primitive) type, ours);
            Object normalizedKafka = normalize((Primitive) type, kafka);
            if (!normalizedOurs.equals(normalizedKafka)) {
                differences.add(path + ": ours=" + normalizedOurs + " kafka=" + normalizedKafka);
            }
        }
    }

    /** Brings both sides' representation of a primitive to a comparable Java value. */
    private static Object normalize(Primitive type, Object value) {
        return switch (type) {
            case UUID -> value instanceof Uuid uuid ? List.of(uuid.mostSignificantBits(), uuid.leastSignificantBits())
                : List.of(((org.apache.kafka.common.Uuid) value).getMostSignificantBits(),
                    ((org.apache.kafka.common.Uuid) value).getLeastSignificantBits());
            case BYTES -> Arrays.toString(bytes(value));
            case RECORDS -> Arrays.toString(bytes(value instanceof MemoryRecords ours ? ours.buffer()
                : ((org.apache.kafka.common.record.internal.MemoryRecords) value).buffer()));
            default -> value;
        };
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] array) {
            return array;
        }
        ByteBuffer buffer = ((ByteBuffer) value).duplicate();
        byte[] array = new byte[buffer.remaining()];
        buffer.get(array);
        return array;
    }

    private static Object call(Object target, String accessor) {
        try {
            return target.getClass().getMethod(accessor).invoke(target);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("No accessor " + accessor + "() on " + target.getClass().getName(), e);
        }
    }
}
