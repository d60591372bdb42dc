package dev.borges.protocol;

import java.nio.ByteBuffer;

/**
 * Kafka's framing: every request and response is a 4-byte big-endian size followed by that many
 * bytes. The size is checked against a maximum before any byte is buffered for it
 * ({@code socket.request.max.bytes} on a broker), so a hostile size cannot make us allocate.
 *
 * <pre>
 * +----------------+---------------------------------------+
 * | size: int32    | header + body: size bytes             |
 * +----------------+---------------------------------------+
 * </pre>
 */
public final class Frames {
    public static final int SIZE_PREFIX_BYTES = 4;

    private Frames() {
    }

    /**
     * Validates a frame's size prefix.
     *
     * @throws InvalidFrameException if negative or larger than {@code maxFrameBytes}
     */
    public static int checkFrameSize(int size, int maxFrameBytes) {
        if (size < 0) {
            throw new InvalidFrameException("Frame size " + size + " is negative");
        }
        if (size > maxFrameBytes) {
            throw new InvalidFrameException("Frame size " + size + " is larger than the maximum of " + maxFrameBytes + " bytes");
        }
        return size;
    }

    /**
     * Takes the next whole frame from {@code input}: returns a view of its payload (without the
     * size prefix) and advances {@code input} past it, or returns null and leaves {@code input}
     * untouched if the frame is not complete yet.
     */
    public static ByteBuffer nextFrame(ByteBuffer input, int maxFrameBytes) {
        if (input.remaining() < SIZE_PREFIX_BYTES) {
            return null;
        }
        int size = checkFrameSize(input.getInt(input.position()), maxFrameBytes);
        if (input.remaining() - SIZE_PREFIX_BYTES < size) { // not "remaining < 4 + size": that overflows near 2 GiB
            return null;
        }
        ByteBuffer frame = input.slice(input.position() + SIZE_PREFIX_BYTES, size);
        input.position(input.position() + SIZE_PREFIX_BYTES + size);
        return frame;
    }
}
