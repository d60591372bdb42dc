package dev.borges.cli.produce;

import java.nio.charset.StandardCharsets;

/**
 * One input line as a record's key and value. Without a key separator the whole line is the value
 * and the key is null; with one, the key is what precedes its first occurrence and the value what
 * follows (so the value may contain the separator). Immutable.
 *
 * @param key   UTF-8 bytes, or null
 * @param value UTF-8 bytes
 */
record LineRecord(byte[] key, byte[] value) {

    /**
     * Splits {@code line} at the first {@code separator} (null: no key).
     *
     * @throws IllegalArgumentException if there is a separator to look for and the line lacks it
     */
    static LineRecord parse(String line, String separator) {
        if (separator == null) {
            return new LineRecord(null, line.getBytes(StandardCharsets.UTF_8));
        }
        int at = line.indexOf(separator);
        if (at < 0) {
            throw new IllegalArgumentException("has no key separator '" + separator + "'");
        }
        return new LineRecord(line.substring(0, at).getBytes(StandardCharsets.UTF_8),
            line.substring(at + separator.length()).getBytes(StandardCharsets.UTF_8));
    }
}
