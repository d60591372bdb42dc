package dev.borges.protocol.types;

import java.util.List;

/**
 * Writes a message's unknown tagged fields in between its known ones, so the tagged field section
 * keeps ascending tag order, as Kafka writes it, whatever order the unknown fields were added in.
 * Used by generated {@code write} methods.
 */
public final class RawTaggedFieldWriter {
    private final List<RawTaggedField> fields;
    private int next;

    public RawTaggedFieldWriter(List<RawTaggedField> fields) {
        if (fields == null || fields.isEmpty()) {
            this.fields = List.of();
        } else {
            List<RawTaggedField> sorted = new java.util.ArrayList<>(fields);
            sorted.sort(java.util.Comparator.comparingInt(RawTaggedField::tag));
            this.fields = sorted;
        }
    }

    /**
     * Writes the unknown fields whose tag is below {@code tag} (a known field about to be written)
     * and not yet written. An unknown field with the known field's own tag (kept from reading an
     * older version, then the known field set) cannot be written twice: that is refused.
     */
    public void writeBelow(int tag, ProtocolWriter writer) {
        while (next < fields.size() && fields.get(next).tag() < tag) {
            write(fields.get(next++), writer);
        }
        if (next < fields.size() && fields.get(next).tag() == tag) {
            throw new IllegalArgumentException("Unknown tagged field " + tag + " collides with the known field of the same tag");
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
