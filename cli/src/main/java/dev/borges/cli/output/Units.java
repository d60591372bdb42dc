package dev.borges.cli.output;

import java.time.Duration;
import java.util.Locale;

/**
 * Numbers for people: byte sizes in binary units ({@code 1.5 MiB}), counts with thousands
 * separators ({@code 12,345}), durations in the largest units that fit ({@code 7d}, {@code 1h 30m},
 * {@code 250ms}); and durations as people type them ({@code 10s}, {@code 500ms}, {@code 2m}).
 * Stateless.
 */
public final class Units {
    private static final String[] BYTE_UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Units() {
    }

    /** {@code 0 B}, {@code 999 B}, {@code 1.0 KiB}, {@code 96.4 KiB}, {@code 176 KiB}, {@code 1.5 GiB}. */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        String number = value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
        return number + " " + BYTE_UNITS[unit];
    }

    /** {@code 12,345}. */
    public static String count(long count) {
        return String.format(Locale.ROOT, "%,d", count);
    }

    /**
     * {@code 250ms}, {@code 45s}, {@code 1h 30m}, {@code 7d}: at most the two largest non-zero
     * units, so a retention of a week reads {@code 7d} and not {@code 604800000}.
     */
    public static String millis(long millis) {
        if (millis < 1000) {
            return millis + "ms";
        }
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
        String[] names = {"d", "h", "m", "s", "ms"};
        StringBuilder text = new StringBuilder();
        long rest = millis;
        int parts = 0;
        for (int i = 0; i < sizes.length && parts < 2; i++) {
            long amount = rest / sizes[i];
            if (amount > 0) {
                text.append(text.isEmpty() ? "" : " ").append(amount).append(names[i]);
                rest -= amount * sizes[i];
                parts++;
            } else if (parts > 0) {
                break; // "1d 3s" would mislead more than "1d"
            }
        }
        return text.toString();
    }

    /**
     * A duration as typed: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1d}, or a bare
     * number of seconds.
     *
     * @throws IllegalArgumentException with a message for people
     */
    public static Duration parseDuration(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        int split = 0;
        while (split < trimmed.length() && Character.isDigit(trimmed.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("expected a duration like 500ms, 10s, 2m or 1h, got '" + text + "'");
        }
        long amount;
        try {
            amount = Long.parseLong(trimmed.substring(0, split));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("duration '" + text + "' is too large");
        }
        return switch (trimmed.substring(split)) {
            case "", "s" -> Duration.ofSeconds(amount);
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("expected a duration like 500ms, 10s, 2m or 1h, got '" + text + "'");
        };
    }
}
