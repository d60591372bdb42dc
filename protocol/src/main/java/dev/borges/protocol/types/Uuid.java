package dev.borges.protocol.types;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A 128-bit identifier (topic ids, directory ids, …). {@link #ZERO} means "no id", as the Kafka
 * protocol uses it in place of null. The text form is the one Kafka tools print: URL-safe
 * base64 of the 16 bytes, without padding.
 */
public record Uuid(long mostSignificantBits, long leastSignificantBits) {
    public static final Uuid ZERO = new Uuid(0L, 0L);

    /** A random id; never {@link #ZERO} and, like Kafka's, never one whose text starts with '-'. */
    public static Uuid randomUuid() {
        while (true) {
            java.util.UUID u = java.util.UUID.randomUUID();
            Uuid id = new Uuid(u.getMostSignificantBits(), u.getLeastSignificantBits());
            if (!id.equals(ZERO) && !id.toString().startsWith("-")) {
                return id;
            }
        }
    }

    public static Uuid fromString(String text) {
        byte[] bytes = Base64.getUrlDecoder().decode(text);
        if (bytes.length != 16) {
            throw new IllegalArgumentException("A uuid is 16 bytes; '" + text + "' decodes to " + bytes.length);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return new Uuid(buffer.getLong(), buffer.getLong());
    }

    @Override
    public String toString() {
        ByteBuffer buffer = ByteBuffer.allocate(16).putLong(mostSignificantBits).putLong(leastSignificantBits);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(buffer.array());
    }
}
