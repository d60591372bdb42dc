package dev.borges.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * {@code --output json}: a command's result as one indented JSON document on stdout, or a stream of
 * JSON lines (one compact object per line, as {@code borges consume} writes records). Values are
 * maps, lists, strings, numbers, booleans and records (Jackson writes a record's components as
 * fields). Thread-safe (Jackson's mappers are).
 */
public final class Json {
    private static final ObjectMapper COMPACT = new ObjectMapper();
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Json() {
    }

    /** Prints {@code document}, indented, followed by a newline. */
    public static void print(Terminal terminal, Object document) {
        terminal.out().println(write(INDENTED, document));
        terminal.out().flush();
    }

    /** {@code value} as one line of JSON (no newline). */
    public static String line(Object value) {
        return write(COMPACT, value);
    }

    private static String write(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON for " + value.getClass().getName(), e);
        }
    }
}
