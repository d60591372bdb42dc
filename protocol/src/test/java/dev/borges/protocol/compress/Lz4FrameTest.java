package dev.borges.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Lz4FrameTest {

    private static byte[] ourFrame(byte[] content, boolean contentChecksum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Lz4FrameOutputStream lz4 = new Lz4FrameOutputStream(out, contentChecksum)) {
            lz4.write(content);
        }
        return out.toByteArray();
    }

    private static byte[] readOurWay(byte[] frame) throws IOException {
        try (InputStream in = new Lz4FrameInputStream(ByteBuffer.wrap(frame))) {
            return in.readAllBytes();
        }
    }

    private static byte[] lz4JavaFrame(byte[] content, LZ4FrameOutputStream.BLOCKSIZE blockSize, LZ4FrameOutputStream.FLG.Bits... bits)
            throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, blockSize, content.length, bits)) {
            lz4.write(content);
        }
        return out.toByteArray();
    }

    @Test
    void writesKafkasFrameHeader() throws IOException {
        byte[] frame = ourFrame(new byte[] {1, 2, 3}, false);

        ByteBuffer header = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getInt(0)).isEqualTo(0x184D2204);
        assertThat(frame[4]).as("FLG: version 1, independent blocks").isEqualTo((byte) 0x60);
        assertThat(frame[5]).as("BD: 64 KiB blocks").isEqualTo((byte) 0x40);
        int descriptorHash = XXHashFactory.safeInstance().hash32().hash(frame, 4, 2, 0);
        assertThat(frame[6]).isEqualTo((byte) ((descriptorHash >> 8) & 0xFF));
        assertThat(header.getInt(frame.length - 4)).as("end mark").isZero();
    }

    @Test
    void splitsContentIntoBlocksOf64KiBAndStoresIncompressibleBlocksRaw() throws IOException {
        byte[] content = CompressionTestData.random(150_000, 4);

        ByteBuffer frame = ByteBuffer.wrap(ourFrame(content, false)).order(ByteOrder.LITTLE_ENDIAN);
        frame.position(7);
        List<Integer> blockSizeFields = new ArrayList<>();
        int size;
        while ((size = frame.getInt()) != 0) {
            blockSizeFields.add(size);
            frame.position(frame.position() + (size & 0x7fffffff));
        }

        assertThat(blockSizeFields).containsExactly(0x80000000 | 65_536, 0x80000000 | 65_536, 0x80000000 | 18_928);
        assertThat(frame.hasRemaining()).isFalse();
    }

    @Test
    void compressesCompressibleBlocks() throws IOException {
        byte[] content = new byte[70_000];
        Arrays.fill(content, (byte) 7);

        byte[] frame = ourFrame(content, false);

        int firstBlock = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt(7);
        assertThat(firstBlock & 0x80000000).as("compressed flag clear").isZero();
        assertThat(firstBlock).isLessThan(1_000);
        assertThat(readOurWay(frame)).isEqualTo(content);
    }

    @ParameterizedTest
    @EnumSource(LZ4FrameOutputStream.BLOCKSIZE.class)
    void readsFramesWithEveryBlockSizeChecksumsAndContentSize(LZ4FrameOutputStream.BLOCKSIZE blockSize) throws IOException {
        byte[] content = CompressionTestData.mixed(300_000, 5);
        byte[] frame = lz4JavaFrame(content, blockSize,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE);

        assertThat(readOurWay(frame)).isEqualTo(content);
    }

    @Test
    void writesAContentChecksumThatLz4JavaVerifies() throws IOException {
        byte[] content = CompressionTestData.mixed(200_000, 6);
        byte[] frame = ourFrame(content, true);

        try (InputStream in = new LZ4FrameInputStream(new ByteArrayInputStream(frame))) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
        assertThat(readOurWay(frame)).isEqualTo(content);
    }

    @Test
    void rejectsFrameWithWrongMagic() throws IOException {
        byte[] frame = ourFrame(new byte[] {1}, false);
        frame[0] ^= 1;

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class).hasMessageContaining("magic");
    }

    @Test
    void rejectsFrameWithBadHeaderChecksum() throws IOException {
        byte[] frame = ourFrame(new byte[] {1}, false);
        frame[6] ^= 1;

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class).hasMessageContaining("header checksum");
    }

    @Test
    void rejectsDependentBlocks() throws IOException {
        byte[] frame = withDescriptor(ourFrame(new byte[] {1}, false), 0x40, 0x40);

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class).hasMessageContaining("dependent");
    }

    @Test
    void rejectsReservedBitsAndUnsupportedVersions() throws IOException {
        byte[] base = ourFrame(new byte[] {1}, false);

        assertThatThrownBy(() -> readOurWay(withDescriptor(base, 0x61, 0x40))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> readOurWay(withDescriptor(base, 0xA0, 0x40))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> readOurWay(withDescriptor(base, 0x60, 0x30))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> readOurWay(withDescriptor(base, 0x60, 0xC0))).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsBlockLargerThanTheFrameMaximum() throws IOException {
        byte[] frame = ourFrame(CompressionTestData.random(100, 7), false);
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(7, 0x80000000 | 65_537);

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class).hasMessageContaining("exceeds");
    }

    @Test
    void rejectsBlockLongerThanTheFrame() throws IOException {
        byte[] frame = ourFrame(CompressionTestData.random(100, 7), false);
        ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).putInt(7, 0x80000000 | 60_000);

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class).hasMessageContaining("ends inside");
    }

    @Test
    void rejectsFrameWithoutEndMark() throws IOException {
        byte[] frame = ourFrame(CompressionTestData.random(100, 7), false);

        assertThatThrownBy(() -> readOurWay(Arrays.copyOf(frame, frame.length - 4))).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsCorruptCompressedBlock() throws IOException {
        byte[] content = new byte[1_000];
        Arrays.fill(content, (byte) 1);
        byte[] frame = ourFrame(content, false);
        // Turn the compressed block into a literal run longer than the block can hold.
        frame[11] = (byte) 0xF0;
        frame[12] = (byte) 0xFF;

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsContentChecksumMismatch() throws IOException {
        byte[] frame = ourFrame(CompressionTestData.random(100, 8), true);
        frame[frame.length - 1] ^= 1;

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class).hasMessageContaining("content checksum");
    }

    @Test
    void rejectsBlockChecksumMismatch() throws IOException {
        byte[] content = CompressionTestData.random(1_000, 9);
        byte[] frame = lz4JavaFrame(content, LZ4FrameOutputStream.BLOCKSIZE.SIZE_64KB,
                LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_SIZE);
        // Header is 7 bytes plus 8 of content size; the block's data starts after its size field.
        frame[15 + 4 + 10] ^= 1;

        assertThatThrownBy(() -> readOurWay(frame)).isInstanceOf(IOException.class).hasMessageContaining("block checksum");
    }

    /** The frame with FLG and BD replaced and the header checksum recomputed to match. */
    private static byte[] withDescriptor(byte[] frame, int flg, int bd) {
        byte[] copy = frame.clone();
        copy[4] = (byte) flg;
        copy[5] = (byte) bd;
        copy[6] = (byte) ((XXHashFactory.safeInstance().hash32().hash(copy, 4, 2, 0) >> 8) & 0xFF);
        return copy;
    }
}
