package dev.borges.protocol.compress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

class XerialSnappyFramingTest {
    private static final byte[] HEADER = {(byte) 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1};

    @Test
    void readsRawSnappyAsLibrdkafkaSendsIt() throws IOException {
        byte[] content = CompressionTestData.mixed(100_000, 10);

        assertThat(CompressionTestData.decompress(CompressionType.SNAPPY, Snappy.compress(content))).isEqualTo(content);
    }

    @Test
    void readsConcatenatedStreams() throws IOException {
        byte[] first = CompressionTestData.mixed(40_000, 11);
        byte[] second = CompressionTestData.mixed(50_000, 12);
        ByteArrayOutputStream both = new ByteArrayOutputStream();
        both.write(CompressionTestData.compress(CompressionType.SNAPPY, first));
        both.write(CompressionTestData.compress(CompressionType.SNAPPY, second));

        byte[] decompressed = CompressionTestData.decompress(CompressionType.SNAPPY, both.toByteArray());

        assertThat(Arrays.copyOfRange(decompressed, 0, first.length)).isEqualTo(first);
        assertThat(Arrays.copyOfRange(decompressed, first.length, decompressed.length)).isEqualTo(second);
    }

    @Test
    void rejectsEmptyInputAsSnappyJavaDoesButReadsAStreamOfNothing() throws IOException {
        assertThatThrownBy(() -> CompressionTestData.decompress(CompressionType.SNAPPY, new byte[0])).isInstanceOf(IOException.class);
        assertThat(CompressionTestData.decompress(CompressionType.SNAPPY, CompressionTestData.compress(CompressionType.SNAPPY, new byte[0])))
                .isEmpty();
    }

    @Test
    void rejectsChunkLongerThanTheInputBeforeAllocatingIt() {
        ByteBuffer stream = ByteBuffer.allocate(HEADER.length + 4 + 10).put(HEADER).putInt(1_000_000_000).put(new byte[10]).flip();

        assertThatThrownBy(() -> CompressionType.SNAPPY.wrapForInput(stream))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("declares 1000000000 bytes");
    }

    @Test
    void rejectsNegativeChunkLength() {
        ByteBuffer stream = ByteBuffer.allocate(HEADER.length + 4 + 10).put(HEADER).putInt(-5).put(new byte[10]).flip();

        assertThatThrownBy(() -> CompressionType.SNAPPY.wrapForInput(stream)).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsChunkClaimingMoreThanSnappyCanExpandTo() {
        // A 6-byte chunk whose preamble claims 2 GiB of output.
        byte[] chunk = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08, 0};
        ByteBuffer stream = ByteBuffer.allocate(HEADER.length + 4 + chunk.length).put(HEADER).putInt(chunk.length).put(chunk).flip();

        assertThatThrownBy(() -> CompressionType.SNAPPY.wrapForInput(stream))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("claims 2147483648 uncompressed bytes");
    }

    @Test
    void rejectsRawBlockClaimingMoreThanSnappyCanExpandTo() {
        byte[] raw = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0, 0, 0};

        assertThatThrownBy(() -> CompressionType.SNAPPY.wrapForInput(ByteBuffer.wrap(raw)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("claims 4294967295 uncompressed bytes");
    }

    @Test
    void rejectsLongRunsOfHeaders() {
        ByteBuffer stream = ByteBuffer.allocate(HEADER.length * 100);
        for (int i = 0; i < 100; i++) {
            stream.put(HEADER);
        }

        assertThatThrownBy(() -> CompressionType.SNAPPY.wrapForInput(stream.flip()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("consecutive headers");
    }

    @Test
    void acceptsTheChunkSizesSnappyJavaWrites() throws IOException {
        byte[] compressed = CompressionTestData.compress(CompressionType.SNAPPY, CompressionTestData.mixed(200_000, 13));

        XerialSnappyFraming.checkAllocations(ByteBuffer.wrap(compressed));
    }
}
