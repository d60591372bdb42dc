package dev.borges.cli.config;

import dev.borges.cli.output.Units;

/**
 * A configuration value with its meaning in human units beside it, for text output:
 * {@code retention.ms=604800000} reads {@code 604800000 (7d)}, {@code segment.bytes=1073741824}
 * reads {@code 1073741824 (1.0 GiB)}; -1 on such keys is Kafka's "no limit". Stateless.
 */
public final class ConfigText {
    private ConfigText() {
    }

    public static String withUnits(String key, String value) {
        if (value == null) {
            return null;
        }
        boolean millis = key.endsWith(".ms");
        boolean bytes = key.endsWith(".bytes");
        if (!millis && !bytes) {
            return value;
        }
        long number;
        try {
            number = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return value;
        }
        if (number == -1) {
            return value + " (no limit)";
        }
        if (number == Long.MAX_VALUE) {
            return value + " (never)";
        }
        if (number < 0 || (millis && number < 1000) || (bytes && number < 1024)) {
            return value;
        }
        return value + " (" + (millis ? Units.millis(number) : Units.bytes(number)) + ")";
    }
}
