package dev.borges.protocol.generator;

import dev.borges.protocol.generator.emit.ApiKeyEmitter;
import dev.borges.protocol.generator.emit.MessageClassEmitter;
import dev.borges.protocol.generator.spec.MessageSpec;
import dev.borges.protocol.generator.spec.SchemaException;
import dev.borges.protocol.generator.spec.SchemaReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Build-time entry point: reads Kafka's message schemas from a directory and writes one Java
 * class per message plus the {@code ApiKey} enum under an output source root.
 *
 * <p>Usage: {@code ProtocolGenerator <schema dir> <output source root>}.
 */
public final class ProtocolGenerator {
    public static final String RUNTIME_PACKAGE = "dev.borges.protocol";
    public static final String MESSAGE_PACKAGE = "dev.borges.protocol.message";

    private ProtocolGenerator() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ProtocolGenerator <schema dir> <output source root>");
            System.exit(2);
        }
        try {
            int count = generate(Path.of(args[0]), Path.of(args[1]));
            System.out.println("Generated " + count + " message classes from " + args[0]);
        } catch (SchemaException e) {
            throw new IllegalStateException("Cannot generate protocol classes: " + e.getMessage(), e);
        }
    }

    /** Generates every class; returns how many message classes were written. */
    public static int generate(Path schemaDir, Path outputRoot) throws IOException {
        List<MessageSpec> specs = new SchemaReader().readDirectory(schemaDir).stream()
            .filter(spec -> !spec.isRetired())
            .toList();
        MessageClassEmitter messages = new MessageClassEmitter(MESSAGE_PACKAGE);
        Path messageDir = outputRoot.resolve(MESSAGE_PACKAGE.replace('.', '/'));
        Files.createDirectories(messageDir);
        java.util.Set<Path> written = new java.util.HashSet<>();
        for (MessageSpec spec : specs) {
            String source;
            try {
                source = messages.emit(spec);
            } catch (SchemaException e) {
                throw new SchemaException(spec.name() + ": " + e.getMessage(), e);
            }
            Path file = messageDir.resolve(spec.className() + ".java");
            writeIfChanged(file, source);
            written.add(file);
        }
        deleteStale(messageDir, written);
        Path runtimeDir = outputRoot.resolve(RUNTIME_PACKAGE.replace('.', '/'));
        Files.createDirectories(runtimeDir);
        writeIfChanged(runtimeDir.resolve("ApiKey.java"), new ApiKeyEmitter(RUNTIME_PACKAGE, MESSAGE_PACKAGE).emit(specs));
        return specs.size();
    }

    /** Removes classes an earlier run generated that this run did not (a renamed or retired message). */
    private static void deleteStale(Path messageDir, java.util.Set<Path> written) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.list(messageDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !written.contains(f)).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Leaves unchanged files untouched so incremental compilation does not redo them. */
    private static void writeIfChanged(Path file, String source) throws IOException {
        byte[] bytes = source.getBytes(StandardCharsets.UTF_8);
        if (Files.exists(file) && java.util.Arrays.equals(Files.readAllBytes(file), bytes)) {
            return;
        }
        Files.write(file, bytes);
    }
}
