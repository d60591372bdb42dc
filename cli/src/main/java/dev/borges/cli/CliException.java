package dev.borges.cli;

/**
 * A failure to report to the user as one line ({@code borges: <message>}), optionally followed by a
 * hint on what to do next, and exit with {@link #exitCode()} (1: the operation failed). Usage errors
 * found only at run time are picocli's {@code ParameterException}s instead, which exit with 2.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String hint;

    public CliException(String message) {
        this(message, null);
    }

    public CliException(String message, String hint) {
        super(message, null, false, false);
        this.hint = hint;
    }

    /** What to try next, or {@code null}. */
    public String hint() {
        return hint;
    }

    public int exitCode() {
        return ExitCodes.FAILED;
    }
}
