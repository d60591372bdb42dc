package dev.borges.protocol.compress;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The framing snappy-java's {@code SnappyOutputStream} writes (and Kafka's Java producers send),
 * and the checks that make reading it with {@code SnappyInputStream} safe against hostile sizes.
 *
 * <pre>
 * header   16 bytes: magic 0x82 'S' 'N' 'A' 'P' 'P' 'Y' 0x00, version int32 (1),
 *                    minimum compatible version int32 (1); big-endian
 * chunks, each:
 *   length int32, big-endian: bytes of compressed data that follow
 *   data   one raw snappy block, which starts with its uncompressed length as an unsigned
 *          little-endian base-128 varint
 * a header may appear again between chunks (concatenated streams)
 * </pre>
 *
 * <p>Input that does not start with the magic is read by {@code SnappyInputStream} as a single raw
 * snappy block: that is what librdkafka-based clients send.
 *
 * <p>{@code SnappyInputStream} allocates each chunk's declared compressed length and its declared
 * uncompressed length before checking either against the input, and recurses once per consecutive
 * header. {@link #checkAllocations} walks the chunk headers first (a few bytes per chunk, no copy)
 * and rejects a chunk longer than the input left, an uncompressed length that snappy cannot
 * produce from the chunk's size, and runs of headers; so decompressing allocates at most a small
 * multiple of the input. Stateless; thread-safe.
 */
final class XerialSnappyFraming {
    static final int HEADER_SIZE = 16;
    private static final byte[] MAGIC = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0};
    private static final int CHUNK_LENGTH_SIZE = 4;

    /**
     * Snappy's densest element is a 3-byte copy of 64 bytes (about 21x); anything claiming more than
     * this many times its compressed size is not snappy output.
     */
    private static final long MAX_EXPANSION = 32;
    private static final long EXPANSION_SLACK = 64;

    /** More consecutive headers than Kafka or snappy-java ever write; each costs a stack frame. */
    private static final int MAX_CONSECUTIVE_HEADERS = 16;

    private XerialSnappyFraming() {
    }

    /**
     * Checks the sizes {@code SnappyInputStream} would allocate for {@code input}'s remaining bytes.
     *
     * @throws IOException naming the first impossible size and its byte position
     */
    static void checkAllocations(ByteBuffer input) throws IOException {
        int position = input.position();
        int limit = input.limit();
        if (position == limit) {
            return; // nothing to allocate; SnappyInputStream rejects empty input itself
        }
        if (limit - position < HEADER_SIZE || !startsWithMagic(input, position)) {
            checkRawBlock(input, position, limit - position);
            return;
        }
        int consecutiveHeaders = 0;
        while (limit - position >= CHUNK_LENGTH_SIZE) {
            if (startsWithMagic(input, position)) {
                if (++consecutiveHeaders > MAX_CONSECUTIVE_HEADERS) {
                    throw new IOException("Snappy stream has more than " + MAX_CONSECUTIVE_HEADERS
                            + " consecutive headers at byte " + position);
                }
                position += Math.min(HEADER_SIZE, limit - position);
                continue;
            }
            consecutiveHeaders = 0;
            int chunkLength = input.getInt(position);
            position += CHUNK_LENGTH_SIZE;
            if (chunkLength < 0 || chunkLength > limit - position) {
                throw new IOException("Snappy chunk at byte " + (position - CHUNK_LENGTH_SIZE) + " declares "
                        + chunkLength + " bytes but " + (limit - position) + " remain");
            }
            checkRawBlock(input, position, chunkLength);
            position += chunkLength;
        }
    }

    private static boolean startsWithMagic(ByteBuffer input, int position) {
        if (input.limit() - position < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (input.get(position + i) != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    private static void checkRawBlock(ByteBuffer input, int start, int length) throws IOException {
        long uncompressedLength = 0;
        int end = start + Math.min(length, 5);
        for (int position = start, shift = 0; ; position++, shift += 7) {
            if (position >= end) {
                throw new IOException("Snappy block at byte " + start + " has no valid uncompressed length");
            }
            int b = input.get(position) & 0xff;
            uncompressedLength |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (uncompressedLength > MAX_EXPANSION * length + EXPANSION_SLACK || uncompressedLength > Integer.MAX_VALUE - 8) {
            throw new IOException("Snappy block at byte " + start + " claims " + uncompressedLength
                    + " uncompressed bytes from " + length + " compressed bytes");
        }
    }
}
