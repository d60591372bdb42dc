package dev.borges.protocol.compress;

import static dev.borges.protocol.compress.CompressionTestData.compress;
import static dev.borges.protocol.compress.CompressionTestData.decompress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.protocol.CorruptRecordException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.utils.internals.BufferSupplier;
import org.apache.kafka.common.utils.internals.ByteBufferOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CompressionTypeTest {
    private static final byte MAGIC_V2 = 2;

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void idsAndNamesAreKafkas(CompressionType type) {
        var kafka = org.apache.kafka.common.record.internal.CompressionType.forId(type.id());

        assertThat(kafka.name).isEqualTo(type.configName());
        assertThat(CompressionType.forId(type.id())).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(ints = {5, 6, 7, 8, -1})
    void rejectsUnknownCompressionIds(int id) {
        assertThatThrownBy(() -> CompressionType.forId(id))
                .isInstanceOf(CorruptRecordException.class)
                .hasMessageContaining("compression type id " + id);
    }

    static Stream<Arguments> codecsAndSizes() {
        return Arrays.stream(CompressionType.values())
                .flatMap(type -> Stream.of(0, 1, 100, 65_535, 65_536, 65_537, 300_000).map(size -> Arguments.of(type, size)));
    }

    @ParameterizedTest
    @MethodSource("codecsAndSizes")
    void decompressesWhatItCompressed(CompressionType type, int size) throws IOException {
        byte[] content = CompressionTestData.mixed(size, size);

        assertThat(decompress(type, compress(type, content))).isEqualTo(content);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void compressesCompressibleContent(CompressionType type) throws IOException {
        byte[] content = new byte[100_000];
        Arrays.fill(content, (byte) 'x');

        assertThat(compress(type, content).length).isLessThan(content.length / 10);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void kafkaClientsDecompressWhatWeCompress(CompressionType type) throws IOException {
        byte[] content = CompressionTestData.mixed(250_000, 1);
        byte[] compressed = compress(type, content);

        Compression kafka = Compression.of(type.configName()).build();
        try (InputStream in = kafka.wrapForInput(ByteBuffer.wrap(compressed), MAGIC_V2, BufferSupplier.create())) {
            assertThat(in.readAllBytes()).isEqualTo(content);
        }
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void weDecompressWhatKafkaClientsCompress(CompressionType type) throws IOException {
        byte[] content = CompressionTestData.mixed(250_000, 2);

        assertThat(decompress(type, kafkaCompress(type, content))).isEqualTo(content);
    }

    @Test
    void ourLz4FramesAreByteForByteKafkas() throws IOException {
        byte[] content = CompressionTestData.mixed(200_000, 3);

        assertThat(compress(CompressionType.LZ4, content)).isEqualTo(kafkaCompress(CompressionType.LZ4, content));
    }

    @Test
    void decompressionReadsWithoutMovingTheBufferPosition() throws IOException {
        ByteBuffer compressed = ByteBuffer.wrap(compress(CompressionType.ZSTD, new byte[] {1, 2, 3}));

        try (InputStream in = CompressionType.ZSTD.wrapForInput(compressed)) {
            assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
        }
        assertThat(compressed.position()).isZero();
    }

    private static byte[] kafkaCompress(CompressionType type, byte[] content) throws IOException {
        ByteBufferOutputStream out = new ByteBufferOutputStream(1024);
        try (OutputStream compressing = Compression.of(type.configName()).build().wrapForOutput(out, MAGIC_V2)) {
            compressing.write(content);
        }
        ByteBuffer buffer = out.buffer().flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }
}
