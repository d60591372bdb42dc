package dev.borges.cli.consume;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Where {@code borges consume} starts in each partition, as given to {@code --from}:
 * <ul>
 *   <li>{@code beginning}: the first record still kept;</li>
 *   <li>{@code end}: only records written from now on;</li>
 *   <li>{@code 42}: offset 42 (or the nearest kept one);</li>
 *   <li>{@code -10}: the last 10 records of each partition;</li>
 *   <li>{@code 2025-01-31T12:00:00Z}, {@code 2025-01-31T12:00} (local time), {@code 2025-01-31}
 *       (local midnight), {@code @1738324800000} (epoch milliseconds): the first record with a
 *       timestamp at or after that time.</li>
 * </ul>
 * Immutable.
 *
 * @param value the offset, the count from the end, or the epoch milliseconds, per {@code kind}
 */
public record StartPosition(Kind kind, long value) {

    /** The ways to say where to start. */
    public enum Kind { BEGINNING, END, OFFSET, FROM_END, TIMESTAMP }

    public static final StartPosition BEGINNING = new StartPosition(Kind.BEGINNING, 0);
    public static final StartPosition END = new StartPosition(Kind.END, 0);

    /**
     * Parses a {@code --from} value, reading local times in {@code zone}.
     *
     * @throws IllegalArgumentException with a message for people
     */
    public static StartPosition parse(String text, ZoneId zone) {
        String value = text.trim();
        if (value.equalsIgnoreCase("beginning") || value.equalsIgnoreCase("earliest")) {
            return BEGINNING;
        }
        if (value.equalsIgnoreCase("end") || value.equalsIgnoreCase("latest")) {
            return END;
        }
        if (value.startsWith("@")) {
            try {
                return new StartPosition(Kind.TIMESTAMP, Long.parseLong(value.substring(1)));
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
        }
        if (value.matches("-?\\d+")) {
            long number;
            try {
                number = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw invalid(text);
            }
            return number < 0 ? new StartPosition(Kind.FROM_END, -number) : new StartPosition(Kind.OFFSET, number);
        }
        return new StartPosition(Kind.TIMESTAMP, parseTime(value, zone).toEpochMilli());
    }

    /**
     * An ISO-8601 instant ({@code 2025-01-31T12:00:00Z}), date-time with offset, local date-time or local
     * date, local ones in {@code zone}.
     *
     * @throws IllegalArgumentException if it is none of these
     */
    public static Instant parseTime(String value, ZoneId zone) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            // not an instant with a zone; try local forms
        }
        try {
            return java.time.OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            // not with an offset either
        }
        try {
            return LocalDateTime.parse(value).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(value).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(value);
        }
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("expected beginning, end, an offset (42), a count from the end (-10) or a time"
            + " (2025-01-31T12:00:00Z, 2025-01-31, @epochMillis), got '" + text + "'");
    }

    /** Whether a consumer group can start here on its own (auto.offset.reset): beginning or end. */
    public boolean isBeginningOrEnd() {
        return kind == Kind.BEGINNING || kind == Kind.END;
    }

    /** For picocli. */
    public static final class Converter implements ITypeConverter<StartPosition> {
        @Override
        public StartPosition convert(String value) {
            try {
                return parse(value, ZoneId.systemDefault());
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
