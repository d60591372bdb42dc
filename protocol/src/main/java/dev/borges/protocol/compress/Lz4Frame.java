package dev.borges.protocol.compress;

import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 frame format as Kafka uses it for {@link CompressionType#LZ4} batches: the LZ4 frame
 * format v1.5.1, limited to independent blocks. This class owns the format; {@link
 * Lz4FrameOutputStream} writes it and {@link Lz4FrameInputStream} reads it.
 *
 * <pre>
 * field             size      content
 * magic             4         0x184D2204, little-endian
 * FLG               1         bits 7-6 version (must be 01)
 *                             bit  5   block independence (must be 1: dependent blocks are rejected)
 *                             bit  4   block checksum present
 *                             bit  3   content size present
 *                             bit  2   content checksum present
 *                             bits 1-0 reserved (must be 0)
 * BD                1         bit 7 reserved (0); bits 6-4 block maximum size id, 4..7 meaning
 *                             64 KiB, 256 KiB, 1 MiB, 4 MiB (2^(2*id+8)); bits 3-0 reserved (0)
 * content size      0 or 8    uncompressed size, little-endian, when FLG bit 3 is set (skipped)
 * HC                1         (xxhash32(seed 0) of FLG..content size &gt;&gt; 8) &amp; 0xFF
 * blocks, each:
 *   block size      4         little-endian; bit 31 set = data stored uncompressed;
 *                             bits 30-0 = stored data length, at most the block maximum size
 *   data            size      an LZ4 block, or the raw bytes
 *   block checksum  0 or 4    xxhash32(seed 0) of the stored data, when FLG bit 4 is set
 * end mark          4         0
 * content checksum  0 or 4    xxhash32(seed 0) of all uncompressed content, when FLG bit 2 is set
 * </pre>
 *
 * <p>Kafka's producers write FLG {@code 0x60} (version 1, independent blocks, no checksums), BD
 * {@code 0x40} (64 KiB blocks), and store a block uncompressed when compressing it does not make it
 * smaller. (Kafka's old magic v0 batches computed HC over the magic too; v2 batches never do.)
 * Stateless constants and helpers; thread-safe.
 */
final class Lz4Frame {
    static final int MAGIC = 0x184D2204;
    static final int MAGIC_SIZE = 4;
    static final int BLOCK_SIZE_FIELD_SIZE = 4;
    static final int CHECKSUM_SIZE = 4;
    static final int CONTENT_SIZE_FIELD_SIZE = 8;

    static final int FLG_VERSION_MASK = 0xC0;
    static final int FLG_VERSION_1 = 0x40;
    static final int FLG_BLOCK_INDEPENDENCE = 0x20;
    static final int FLG_BLOCK_CHECKSUM = 0x10;
    static final int FLG_CONTENT_SIZE = 0x08;
    static final int FLG_CONTENT_CHECKSUM = 0x04;
    static final int FLG_RESERVED = 0x03;

    static final int BD_BLOCK_SIZE_ID_SHIFT = 4;
    static final int BD_BLOCK_SIZE_ID_MASK = 0x70;
    static final int BD_RESERVED = 0x8F;
    static final int BLOCK_SIZE_ID_64_KIB = 4;
    static final int MIN_BLOCK_SIZE_ID = 4;
    static final int MAX_BLOCK_SIZE_ID = 7;

    static final int UNCOMPRESSED_BLOCK_FLAG = 0x80000000;
    static final int END_MARK = 0;

    static final XXHash32 XXHASH32 = XXHashFactory.fastestInstance().hash32();

    private Lz4Frame() {
    }

    /** Largest block, in bytes, for a BD block size id in 4..7. */
    static int maxBlockSize(int blockSizeId) {
        return 1 << (2 * blockSizeId + 8);
    }

    /** The header checksum byte over the descriptor bytes from FLG up to (not including) HC. */
    static byte headerChecksum(byte[] descriptor, int offset, int length) {
        return (byte) ((XXHASH32.hash(descriptor, offset, length, 0) >> 8) & 0xFF);
    }
}
