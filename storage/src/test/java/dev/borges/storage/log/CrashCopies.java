package dev.borges.storage.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a crash leaves of a log directory, for recovery tests: a byte-wise copy of the files as they
 * are at that moment (the page cache is coherent on one machine, so this is what the disk holds
 * once everything written so far has reached it), and the damage a torn or lost write does to it.
 * The live log is never closed first, so nothing a clean shutdown does (flush, trimmed indexes,
 * closing time-index entries) reaches the copy.
 */
final class CrashCopies {
    private CrashCopies() {
    }

    /**
     * A fresh directory for crash copies: under {@code /dev/shm} (tmpfs) when it is writable, where
     * the fsync of closing a recovered log costs nothing, else under {@code fallback}. The caller
     * deletes it.
     */
    static Path scratchDirectory(Path fallback) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "borges-crash-copies-");
        }
        return Files.createDirectories(fallback.resolve("crash-copies"));
    }

    /** Copies every file of {@code dir} into {@code target} (created), which should be named like {@code dir}. */
    static Path copy(Path dir, Path target) {
        try {
            Files.createDirectories(target);
            for (Path file : files(dir)) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> names(Path dir) {
        return files(dir).stream().map(p -> p.getFileName().toString()).toList();
    }

    /** Cuts {@code file} to {@code size} bytes: a write that never reached the disk. */
    static void cut(Path file, long size) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code bytes} at the end of {@code file}: preallocated (zero) space or garbage a torn write left. */
    static void append(Path file, byte[] bytes) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** XORs the byte at {@code position} of {@code file} with {@code mask} (non-zero). */
    static void flip(Path file, long position, int mask) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            if (channel.read(one, position) != 1) {
                throw new IllegalArgumentException("No byte at " + position + " in " + file);
            }
            one.put(0, (byte) (one.get(0) ^ mask));
            channel.write(one.flip(), position);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces the contents of {@code file} (creating it if absent). */
    static void overwrite(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
