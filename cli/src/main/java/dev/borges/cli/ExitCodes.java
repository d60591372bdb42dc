package dev.borges.cli;

/** The command's exit codes, as documented in {@code borges --help}. */
public final class ExitCodes {
    /** It worked. */
    public static final int OK = 0;
    /** The operation failed: the broker refused it, could not be reached, or the topic does not exist. */
    public static final int FAILED = 1;
    /** The command line was wrong: an unknown option, a missing argument, a malformed value. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
