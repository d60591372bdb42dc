package dev.borges.protocol.compress;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

/** Content and helpers shared by the codec tests. */
final class CompressionTestData {
    private CompressionTestData() {
    }

    /** Half compressible text-like bytes, half random bytes (which LZ4 stores raw). */
    static byte[] mixed(int size, long seed) {
        byte[] bytes = new byte[size];
        Random random = new Random(seed);
        for (int i = 0; i < size; i++) {
            bytes[i] = (i / 10_000) % 2 == 0 ? (byte) ('a' + (i * 7 + i / 100) % 26) : (byte) random.nextInt();
        }
        return bytes;
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static byte[] compress(CompressionType type, byte[] content) throws IOException {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = type.wrapForOutput(compressed)) {
            out.write(content);
        }
        return compressed.toByteArray();
    }

    static byte[] decompress(CompressionType type, byte[] compressed) throws IOException {
        try (InputStream in = type.wrapForInput(ByteBuffer.wrap(compressed))) {
            return in.readAllBytes();
        }
    }
}
