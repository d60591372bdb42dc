package dev.borges.storage.config;

import java.util.List;
import java.util.Locale;

/**
 * One configuration key: its Kafka name, type, default, the check a value must pass, and what it
 * means. Values arrive as text (properties files, CreateTopics, AlterConfigs) and are parsed here.
 *
 * @param validValues for strings and lists, the values allowed (empty: any)
 */
public record ConfigKey(String name, Type type, Object defaultValue, Double min, Double max, List<String> validValues,
                        String doc) {

    public enum Type { INT, LONG, DOUBLE, BOOLEAN, STRING, LIST }

    public static ConfigKey intKey(String name, int defaultValue, int min, String doc) {
        return new ConfigKey(name, Type.INT, defaultValue, (double) min, null, List.of(), doc);
    }

    public static ConfigKey longKey(String name, long defaultValue, long min, String doc) {
        return new ConfigKey(name, Type.LONG, defaultValue, (double) min, null, List.of(), doc);
    }

    public static ConfigKey doubleKey(String name, double defaultValue, double min, double max, String doc) {
        return new ConfigKey(name, Type.DOUBLE, defaultValue, min, max, List.of(), doc);
    }

    public static ConfigKey booleanKey(String name, boolean defaultValue, String doc) {
        return new ConfigKey(name, Type.BOOLEAN, defaultValue, null, null, List.of(), doc);
    }

    public static ConfigKey stringKey(String name, String defaultValue, List<String> validValues, String doc) {
        return new ConfigKey(name, Type.STRING, defaultValue, null, null, validValues, doc);
    }

    public static ConfigKey listKey(String name, List<String> defaultValue, List<String> validValues, String doc) {
        return new ConfigKey(name, Type.LIST, defaultValue, null, null, validValues, doc);
    }

    /**
     * Parses and validates a value given as text.
     *
     * @throws InvalidConfigException naming the key, the value and what was expected
     */
    public Object parse(String text) {
        String trimmed = text.trim();
        Object value;
        try {
            value = switch (type) {
                case INT -> Integer.parseInt(trimmed);
                case LONG -> Long.parseLong(trimmed);
                case DOUBLE -> Double.parseDouble(trimmed);
                case BOOLEAN -> parseBoolean(trimmed);
                case STRING -> trimmed;
                case LIST -> trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s*,\\s*"));
            };
        } catch (NumberFormatException e) {
            throw invalid(text, "expected " + type.name().toLowerCase(Locale.ROOT));
        }
        validate(text, value);
        return value;
    }

    private void validate(String text, Object value) {
        if (value instanceof Number number) {
            if (min != null && number.doubleValue() < min) {
                throw invalid(text, "must be at least " + format(min));
            }
            if (max != null && number.doubleValue() > max) {
                throw invalid(text, "must be at most " + format(max));
            }
        }
        if (!validValues.isEmpty()) {
            List<?> values = value instanceof List<?> list ? list : List.of(value);
            for (Object each : values) {
                if (!validValues.contains(each.toString())) {
                    throw invalid(text, "must be " + (type == Type.LIST ? "a list of " : "one of ") + validValues);
                }
            }
        }
    }

    private Boolean parseBoolean(String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw invalid(text, "expected true or false");
    }

    private InvalidConfigException invalid(String text, String expected) {
        return new InvalidConfigException("Invalid value '" + text + "' for configuration " + name + ": " + expected);
    }

    private static String format(double bound) {
        return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
}
