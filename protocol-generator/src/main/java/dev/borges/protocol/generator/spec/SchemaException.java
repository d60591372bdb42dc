package dev.borges.protocol.generator.spec;

/** A schema file the generator cannot turn into code; the message names the file and field. */
public class SchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SchemaException(String message) {
        super(message);
    }

    public SchemaException(String message, Throwable cause) {
        super(message, cause);
    }
}
