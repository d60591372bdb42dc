package dev.borges.protocol.message;

import dev.borges.protocol.generator.spec.MessageSpec;
import dev.borges.protocol.generator.spec.SchemaReader;
import dev.borges.protocol.generator.spec.StructRegistry;
import dev.borges.protocol.generator.spec.StructSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The schemas the build generated our message classes from (unpacked from the kafka-clients jar
 * into {@code target/} by the build), less the retired APIs that have no valid version, and every
 * (message, version) pair they declare.
 */
final class MessageSchemas {
    static final Path SCHEMA_DIR = Path.of("target/kafka-message-schemas/common/message");
    private static final List<MessageSpec> SPECS = load();

    private MessageSchemas() {
    }

    static List<MessageSpec> all() {
        return SPECS;
    }

    static List<MessageVersion> allVersions() {
        List<MessageVersion> pairs = new ArrayList<>();
        for (MessageSpec spec : SPECS) {
            for (int v = spec.validVersions().lowest(); v <= spec.validVersions().highest(); v++) {
                pairs.add(new MessageVersion(spec, (short) v));
            }
        }
        return pairs;
    }

    static Class<?> ourClass(MessageSpec spec) {
        return load("dev.borges.protocol.message." + spec.className());
    }

    static Class<?> ourStructClass(MessageSpec spec, StructSpec struct) {
        return load("dev.borges.protocol.message." + spec.className() + "$" + struct.name());
    }

    static StructRegistry structs(MessageSpec spec) {
        return new StructRegistry(spec);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("No generated class " + name, e);
        }
    }

    private static List<MessageSpec> load() {
        try {
            return new SchemaReader().readDirectory(SCHEMA_DIR).stream().filter(spec -> !spec.isRetired()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One version of one message. */
    record MessageVersion(MessageSpec spec, short version) {
        @Override
        public String toString() {
            return spec.name() + " v" + version;
        }
    }
}
