package dev.borges.cli.server;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.storage.config.ConfigKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * The commented {@code server.properties} of the distribution ({@code config/server.properties})
 * and of {@code borges server --print-config}: every key the broker reads, with what it means and
 * its default, written from {@link BrokerConfig#KEYS} so it always matches the broker. The settings
 * a newcomer changes first are active lines; the rest are commented out at their defaults, so
 * uncommenting one changes nothing until its value is edited.
 *
 * <p>Run at build time ({@code exec:java} in the package phase) with the output file as argument.
 */
public final class ServerPropertiesTemplate {
    /** Written as active settings: where the broker listens and keeps data, and its identity. */
    private static final Set<String> ACTIVE = Set.of(BrokerConfig.NODE_ID, BrokerConfig.LISTENERS, BrokerConfig.LOG_DIRS,
        BrokerConfig.NUM_PARTITIONS);

    private ServerPropertiesTemplate() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: ServerPropertiesTemplate <output file>");
        }
        Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, text(), StandardCharsets.UTF_8);
    }

    /** The whole file. */
    public static String text() {
        StringBuilder text = new StringBuilder();
        text.append("""
            # Borges broker settings: borges server config/server.properties
            #
            # Keys keep Apache Kafka's names, so a Kafka server.properties works too (settings Borges does not
            # use are reported at start-up and ignored). Each key below is shown with its default; lines starting
            # with '#' are not read. Any key can also be given on the command line:
            #   borges server config/server.properties --override log.dirs=/var/lib/borges
            """);
        for (ConfigKey key : BrokerConfig.KEYS) {
            if (key.name().equals(BrokerConfig.LOG_DIR)) {
                continue; // log.dirs says it; log.dir is only an older spelling
            }
            text.append('\n');
            text.append("# ").append(key.doc()).append(constraint(key)).append('\n');
            String defaultText = defaultText(key);
            String line = key.name() + "=" + defaultText;
            text.append(ACTIVE.contains(key.name()) ? line : "#" + line).append('\n');
        }
        return text.toString();
    }

    private static String constraint(ConfigKey key) {
        if (!key.validValues().isEmpty()) {
            return " One of: " + String.join(", ", key.validValues()) + ".";
        }
        return "";
    }

    private static String defaultText(ConfigKey key) {
        Object value = key.defaultValue();
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(Object::toString).toList());
        }
        return String.valueOf(value);
    }
}
