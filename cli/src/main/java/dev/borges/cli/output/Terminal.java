package dev.borges.cli.output;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Where a command reads and writes, and whether a person is watching: results go to {@link #out()},
 * messages and progress to {@link #err()}; colour and progress lines appear only when that stream is
 * a terminal.
 *
 * <p>The launcher ({@code bin/borges}) knows which streams are terminals ({@code [ -t 1 ]}) and
 * passes it as {@code -Dborges.stdout.tty=true} etc.; the JVM cannot tell reliably by itself (on
 * JDK 22+ {@code System.console()} exists even when output is piped). {@code NO_COLOR} (any value)
 * turns colour off, as <a href="https://no-color.org">no-color.org</a> asks. Created once per run;
 * the streams are shared by the command's threads, which print whole lines.
 */
public final class Terminal {
    private static final String RESET = "\u001b[0m";

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean inTty;
    private final boolean outTty;
    private final boolean errTty;
    private final boolean colour;

    public Terminal(InputStream in, PrintStream out, PrintStream err, boolean inTty, boolean outTty, boolean errTty, boolean colour) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.inTty = inTty;
        this.outTty = outTty;
        this.errTty = errTty;
        this.colour = colour;
    }

    /** The process's own streams, as the launcher described them. */
    public static Terminal system() {
        boolean noColour = System.getenv("NO_COLOR") != null;
        boolean outTty = Boolean.getBoolean("borges.stdout.tty");
        boolean errTty = Boolean.getBoolean("borges.stderr.tty");
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true, StandardCharsets.UTF_8);
        return new Terminal(System.in, out, err, Boolean.getBoolean("borges.stdin.tty"), outTty, errTty, outTty && !noColour);
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Whether stdin is a terminal (someone types the records). */
    public boolean interactiveInput() {
        return inTty;
    }

    public boolean outIsTerminal() {
        return outTty;
    }

    /** Whether progress lines (rewritten in place with {@code \r}) may go to stderr. */
    public boolean showsProgress() {
        return errTty;
    }

    /** Whether {@link #out()} takes ANSI colour. */
    public boolean colour() {
        return colour;
    }

    public String bold(String text) {
        return colour ? "\u001b[1m" + text + RESET : text;
    }

    public String dim(String text) {
        return colour ? "\u001b[2m" + text + RESET : text;
    }

    public String yellow(String text) {
        return colour ? "\u001b[33m" + text + RESET : text;
    }

    public String green(String text) {
        return colour ? "\u001b[32m" + text + RESET : text;
    }

    /** Red for stderr: coloured when stderr is a terminal, whatever stdout is. */
    public String errorRed(String text) {
        return errTty && System.getenv("NO_COLOR") == null ? "\u001b[31m" + text + RESET : text;
    }
}
