package dev.borges.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code key=value} argument ({@code -c retention.ms=86400000}, {@code -H source=web},
 * {@code --override node.id=2}): the key is everything before the first {@code =} and may not be
 * empty; the value is the rest (it may hold more {@code =}, and may be empty). A malformed one is a
 * usage error.
 */
public record KeyValue(String key, String value) {

    /**
     * Parses {@code key=value}.
     *
     * @throws IllegalArgumentException with a message for people
     */
    public static KeyValue parse(String text) {
        int equals = text.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("expected key=value, got '" + text + "'");
        }
        String key = text.substring(0, equals).trim();
        if (key.isEmpty()) {
            throw new IllegalArgumentException("expected key=value with a key before '=', got '" + text + "'");
        }
        return new KeyValue(key, text.substring(equals + 1).trim());
    }

    /** In order, a later key replacing an earlier one. */
    public static Map<String, String> toMap(List<KeyValue> pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        if (pairs != null) {
            for (KeyValue pair : pairs) {
                map.put(pair.key(), pair.value());
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return key + "=" + value;
    }

    /** For picocli. */
    public static final class Converter implements ITypeConverter<KeyValue> {
        @Override
        public KeyValue convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
