package dev.borges.protocol.types;

import java.util.List;

/**
 * Writes a message's unknown tagged fields in between its known ones, so the tagged field section
 * keeps ascending tag order, as Kafka writes it. Used by generated {@code write} methods.
 */
public final class RawTaggedFieldWriter {
    private final List<RawTaggedField> fields;
    private int next;

    public RawTaggedFieldWriter(List<RawTaggedField> fields) {
        this.fields = fields == null ? List.of() : fields;
    }

    /** Writes the unknown fields whose tag is below {@code tag} and not yet written. */
    public void writeBelow(int tag, ProtocolWriter writer) {
        while (next < fields.size() && fields.get(next).tag() < tag) {
            write(fields.get(next++), writer);
        }
    }

    /** Writes every unknown field not yet written. */
    public void writeRest(ProtocolWriter writer) {
        while (next < fields.size()) {
            write(fields.get(next++), writer);
        }
    }

    private static void write(RawTaggedField field, ProtocolWriter writer) {
        writer.writeUnsignedVarint(field.tag());
        writer.writeUnsignedVarint(field.data().length);
        writer.writeBytes(field.data());
    }

    public static int sizeOf(List<RawTaggedField> fields) {
        int size = 0;
        for (RawTaggedField field : fields) {
            size += Varints.sizeOfUnsignedVarint(field.tag()) + Varints.sizeOfUnsignedVarint(field.data().length)
                + field.data().length;
        }
        return size;
    }

    /** Equality where null (never read any) and empty mean the same. */
    public static boolean sameFields(List<RawTaggedField> a, List<RawTaggedField> b) {
        boolean aEmpty = a == null || a.isEmpty();
        boolean bEmpty = b == null || b.isEmpty();
        return aEmpty || bEmpty ? aEmpty == bEmpty : a.equals(b);
    }
}
