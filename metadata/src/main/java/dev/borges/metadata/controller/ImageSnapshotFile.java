package dev.borges.metadata.controller;

import dev.borges.metadata.image.MetadataDelta;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.MetadataReplayException;
import dev.borges.metadata.record.MalformedMetadataRecordException;
import dev.borges.metadata.record.MetadataRecordSerde;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * A snapshot of the metadata image: the records that rebuild it ({@link MetadataImage#toRecords()}),
 * in one file that Ratis names and tracks ({@code sm/snapshot.<term>_<index>} plus its {@code .md5}).
 *
 * <pre>
 * magic:  4 bytes "BMS0"
 * crc:    int32, CRC32C of the batch bytes
 * batch:  a {@link MetadataRecordSerde} batch
 * </pre>
 * Written to a temporary file, forced to disk and renamed into place, so a crash leaves either the
 * old snapshot or the complete new one. Stateless.
 */
final class ImageSnapshotFile {
    private static final byte[] MAGIC = {'B', 'M', 'S', '0'};
    private static final int HEADER = 8;

    private ImageSnapshotFile() {
    }

    static void write(MetadataImage image, Path file) throws IOException {
        byte[] batch = MetadataRecordSerde.encodeBatch(image.toRecords());
        CRC32C crc = new CRC32C();
        crc.update(batch);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER + batch.length);
        buffer.put(MAGIC).putInt((int) crc.getValue()).put(batch).flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads a snapshot; throws {@link IOException} when the file is damaged. */
    static MetadataImage read(Path file) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(Files.readAllBytes(file));
        if (buffer.remaining() < HEADER) {
            throw new IOException("Snapshot " + file + " is " + buffer.remaining() + " bytes, shorter than its header");
        }
        byte[] magic = new byte[MAGIC.length];
        buffer.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException("Snapshot " + file + " does not start with BMS0");
        }
        int expected = buffer.getInt();
        CRC32C crc = new CRC32C();
        crc.update(buffer.duplicate());
        if ((int) crc.getValue() != expected) {
            throw new IOException("Snapshot " + file + " fails its CRC check");
        }
        try {
            MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
            delta.replayAll(MetadataRecordSerde.decodeBatch(buffer));
            return delta.apply();
        } catch (MalformedMetadataRecordException | MetadataReplayException e) {
            throw new IOException("Snapshot " + file + " does not decode: " + e.getMessage(), e);
        }
    }
}
