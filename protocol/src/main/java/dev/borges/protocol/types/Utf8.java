package dev.borges.protocol.types;

/** UTF-8 sizes without encoding, so {@code Message.size} does not allocate. */
public final class Utf8 {
    private Utf8() {
    }

    /** Bytes {@code value.getBytes(UTF_8)} would produce (an unpaired surrogate encodes as '?'). */
    public static int encodedLength(String value) {
        int length = value.length();
        int bytes = length;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                if (c < 0x800) {
                    bytes += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(value.charAt(i + 1))) {
                    bytes += 2; // four bytes for the pair, counted over two chars
                    i++;
                } else if (!Character.isSurrogate(c)) {
                    bytes += 2;
                }
                // an unpaired surrogate encodes as a single '?', already counted
            }
        }
        return bytes;
    }
}
