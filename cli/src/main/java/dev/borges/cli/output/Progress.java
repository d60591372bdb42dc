package dev.borges.cli.output;

import java.util.function.LongSupplier;

/**
 * A progress line on stderr for long operations ("sent 120,000 records"), rewritten in place at
 * most every {@value #INTERVAL_MS} ms, and only when stderr is a terminal: piped or redirected
 * output never sees it. {@link #done()} erases it so the result starts on a clean line.
 *
 * <p>Called from the command's thread only; not thread-safe.
 */
public final class Progress {
    static final long INTERVAL_MS = 200;

    private final Terminal terminal;
    private final LongSupplier clockMs;
    private long lastMs;
    private boolean shown;

    public Progress(Terminal terminal) {
        this(terminal, System::currentTimeMillis);
    }

    Progress(Terminal terminal, LongSupplier clockMs) {
        this.terminal = terminal;
        this.clockMs = clockMs;
        this.lastMs = clockMs.getAsLong();
    }

    /** Shows {@code text} if the last update is old enough; cheap enough to call per record. */
    public void update(String text) {
        if (!terminal.showsProgress()) {
            return;
        }
        long now = clockMs.getAsLong();
        if (now - lastMs < INTERVAL_MS) {
            return;
        }
        lastMs = now;
        terminal.err().print("\r\u001b[K" + text);
        terminal.err().flush();
        shown = true;
    }

    /** Erases the line, if one was shown. */
    public void done() {
        if (shown) {
            terminal.err().print("\r\u001b[K");
            terminal.err().flush();
            shown = false;
        }
    }
}
