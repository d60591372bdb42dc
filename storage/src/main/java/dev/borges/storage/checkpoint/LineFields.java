package dev.borges.storage.checkpoint;

/**
 * Parsing helpers for checkpoint lines. Each throws {@link IllegalArgumentException} with a message
 * that {@link CheckpointFile} prefixes with the file and line number.
 */
final class LineFields {
    private LineFields() {
    }

    /**
     * The space-separated fields of a line, exactly {@code count} of them. Strict on purpose: files
     * are only ever written with single spaces, so anything else means the file was damaged.
     */
    static String[] split(String line, int count, String layout) {
        String[] fields = line.split(" ", -1);
        if (fields.length != count) {
            throw new IllegalArgumentException("expected '" + layout + "' but found '" + line + "'");
        }
        for (String field : fields) {
            if (field.isEmpty()) {
                throw new IllegalArgumentException("expected '" + layout + "' but found '" + line + "'");
            }
        }
        return fields;
    }

    static int nonNegativeInt(String text, String name) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not a decimal int", e);
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " " + value + " is negative");
        }
        return value;
    }

    static long nonNegativeLong(String text, String name) {
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " '" + text + "' is not a decimal long", e);
        }
        if (value < 0) {
            throw new IllegalArgumentException(name + " " + value + " is negative");
        }
        return value;
    }
}
