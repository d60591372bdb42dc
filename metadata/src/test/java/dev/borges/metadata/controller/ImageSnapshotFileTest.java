package dev.borges.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.metadata.image.MetadataDelta;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.metadata.record.ProducerIdsRecord;
import dev.borges.metadata.record.TopicRecord;
import dev.borges.protocol.types.Uuid;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSnapshotFileTest {
    @TempDir
    Path dir;

    private static MetadataImage image() {
        Uuid id = new Uuid(3, 4);
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replayAll(List.of(new TopicRecord("foo", id), new PartitionRecord(id, 0, List.of(1), List.of(1), 1, 2, 3),
            new ConfigRecord(ConfigResource.topic("foo"), "retention.ms", "5"), new ProducerIdsRecord(1, 1000)));
        return delta.apply();
    }

    @Test
    void readsBackWhatItWrote() throws IOException {
        Path file = dir.resolve("snapshot.1_10");
        ImageSnapshotFile.write(image(), file);
        assertThat(ImageSnapshotFile.read(file)).isEqualTo(image());
        assertThat(dir.resolve("snapshot.1_10.tmp")).doesNotExist();
        ImageSnapshotFile.write(MetadataImage.EMPTY, file);
        assertThat(ImageSnapshotFile.read(file)).isEqualTo(MetadataImage.EMPTY);
    }

    @Test
    void detectsEveryFlippedByteAndEveryTruncation() throws IOException {
        Path file = dir.resolve("snapshot.1_10");
        ImageSnapshotFile.write(image(), file);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x10;
            Files.write(file, bad);
            assertThatThrownBy(() -> ImageSnapshotFile.read(file)).as("flipped byte %d", i).isInstanceOf(IOException.class);
        }
        for (int length = 0; length < good.length; length++) {
            Files.write(file, Arrays.copyOf(good, length));
            assertThatThrownBy(() -> ImageSnapshotFile.read(file)).as("cut at %d", length).isInstanceOf(IOException.class);
        }
    }
}
