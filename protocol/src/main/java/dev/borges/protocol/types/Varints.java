package dev.borges.protocol.types;

import dev.borges.protocol.MalformedMessageException;
import java.nio.ByteBuffer;

/**
 * Variable-length integers as the Kafka protocol encodes them (the protobuf encoding): seven bits
 * per byte, least significant group first, high bit set on every byte but the last. Signed values
 * are zigzag-encoded first so small negative numbers stay short.
 *
 * <p>Readers reject an encoding longer than the type allows (5 bytes for 32 bits, 10 for 64) and
 * input that ends mid-number, with {@link MalformedMessageException}; they never loop unbounded.
 */
public final class Varints {
    private Varints() {
    }

    public static int readUnsignedVarint(ByteBuffer buffer) {
        int value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            byte b = nextByte(buffer, "varint");
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 28 && (b & 0xf0) != 0) {
                    throw new MalformedMessageException("Varint overflows 32 bits at byte " + (buffer.position() - 1));
                }
                return value;
            }
        }
        throw new MalformedMessageException("Varint is longer than 5 bytes, ending at byte " + buffer.position());
    }

    public static long readUnsignedVarlong(ByteBuffer buffer) {
        long value = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            byte b = nextByte(buffer, "varlong");
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                if (shift == 63 && (b & 0x7e) != 0) {
                    throw new MalformedMessageException("Varlong overflows 64 bits at byte " + (buffer.position() - 1));
                }
                return value;
            }
        }
        throw new MalformedMessageException("Varlong is longer than 10 bytes, ending at byte " + buffer.position());
    }

    public static int readVarint(ByteBuffer buffer) {
        int raw = readUnsignedVarint(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static long readVarlong(ByteBuffer buffer) {
        long raw = readUnsignedVarlong(buffer);
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static void writeUnsignedVarint(int value, ByteBuffer buffer) {
        while ((value & ~0x7f) != 0) {
            buffer.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    public static void writeUnsignedVarlong(long value, ByteBuffer buffer) {
        while ((value & ~0x7fL) != 0) {
            buffer.put((byte) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        buffer.put((byte) value);
    }

    public static void writeVarint(int value, ByteBuffer buffer) {
        writeUnsignedVarint((value << 1) ^ (value >> 31), buffer);
    }

    public static void writeVarlong(long value, ByteBuffer buffer) {
        writeUnsignedVarlong((value << 1) ^ (value >> 63), buffer);
    }

    public static int sizeOfUnsignedVarint(int value) {
        // Bits needed, rounded up to groups of seven; zero still takes one byte.
        int bits = 32 - Integer.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    public static int sizeOfUnsignedVarlong(long value) {
        int bits = 64 - Long.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    public static int sizeOfVarint(int value) {
        return sizeOfUnsignedVarint((value << 1) ^ (value >> 31));
    }

    public static int sizeOfVarlong(long value) {
        return sizeOfUnsignedVarlong((value << 1) ^ (value >> 63));
    }

    private static byte nextByte(ByteBuffer buffer, String what) {
        if (!buffer.hasRemaining()) {
            throw new MalformedMessageException("Input ends inside a " + what + " at byte " + buffer.position());
        }
        return buffer.get();
    }
}
